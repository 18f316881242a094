// Package catalog is Avisera's event-type catalogue: the kinds of business
// object a message can be written for (work shift, order, activity,
// inspections, deviation), the triggers each one fires, the template
// variables each one offers (with Swedish and English labels and realistic
// sample values for previews) and the dynamic recipient tokens each one can
// resolve. It is pure data with lookups; it depends on the standard library
// only.
package catalog

// The dynamic recipient tokens, resolved at send time.
const (
	TokenPerformer       = "performer"         // the service performer(s) of the event
	TokenCustomerContact = "customer_contacts" // notification recipients on the customer
	TokenContractContact = "contract_contacts" // notification recipients on the contract
	TokenOrgUnitContact  = "org_unit_contacts" // notification recipients on the org unit
	TokenPlaceContact    = "place_contacts"    // notification recipients on the place
)

// allTokens is every dynamic token; each event type of the initial catalogue
// can resolve all of them because every event may carry all four refs.
func allTokens() []string {
	return []string{
		TokenPerformer, TokenCustomerContact, TokenContractContact,
		TokenOrgUnitContact, TokenPlaceContact,
	}
}

// types is the catalogue in its stable, documented order. It is built once
// and never mutated; All and Lookup hand out copies of its slice headers.
var types = []EventType{
	workShiftType(),
	orderType(),
	activityType(),
	roomInspectionType(),
	unitInspectionType(),
	deviationType(),
}

// All returns every event type in a stable order (the order of DESIGN §4).
// The returned slice is the caller's; the event types share their variable
// slices with the catalogue and must be treated as read-only.
func All() []EventType {
	out := make([]EventType, len(types))
	copy(out, types)
	return out
}

// Lookup returns the event type with the given name, such as "order".
func Lookup(name string) (EventType, bool) {
	for _, et := range types {
		if et.Name == name {
			return et, true
		}
	}
	return EventType{}, false
}
