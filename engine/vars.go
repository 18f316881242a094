package engine

import (
	"time"

	"github.com/avisera/avisera"
)

// subjectVar is the template variable an event type's subject lives under.
func subjectVar(eventType string) string {
	switch eventType {
	case "room_inspection", "unit_inspection":
		return "inspection"
	}
	return eventType
}

// vars builds the template variables of an event for one recipient
// (DESIGN §4): the event, the resolved master data, the subject with the
// event's data, the performers and the recipient.
func (sc *scene) vars(recipient, language string, loc *time.Location, files []any) map[string]any {
	subject := map[string]any{}
	for k, v := range sc.data {
		subject[k] = v
	}
	subject["id"] = sc.ev.Subject.ID
	v := map[string]any{
		"event": map[string]any{"id": sc.ev.ID, "type": sc.ev.EventType + "." + sc.ev.Trigger,
			"trigger": sc.ev.Trigger, "occurred_at": sc.ev.OccurredAt.In(loc).Format(time.RFC3339)},
		subjectVar(sc.ev.EventType): subject,
		"data":                      sc.data,
		"recipient":                 map[string]any{"name": recipient, "language": language},
		"performers":                sc.performerVars(),
		"files":                     files,
	}
	if sc.plans != nil {
		v["plans"] = sc.plans
	}
	if len(sc.users) > 0 {
		v["user"] = map[string]any{"id": sc.users[0].ID, "name": sc.users[0].Name}
	}
	sc.masterVars(v)
	return v
}

func (sc *scene) performerVars() []any {
	out := make([]any, 0, len(sc.users))
	for _, u := range sc.users {
		out = append(out, map[string]any{"id": u.ID, "name": u.Name})
	}
	return out
}

// masterVars adds customer, contract, org_unit and place, from the store
// or, for refs the engine has not seen, with the id only.
func (sc *scene) masterVars(v map[string]any) {
	r := sc.ev.Refs
	v["customer"] = map[string]any{"id": r.Customer, "name": "", "number": ""}
	if c := sc.customer; c != nil {
		v["customer"] = map[string]any{"id": c.ID, "name": c.Name, "number": c.Number}
	}
	v["contract"] = map[string]any{"id": r.Contract, "name": ""}
	if k := sc.contract; k != nil {
		v["contract"] = map[string]any{"id": k.ID, "name": k.Name}
	}
	v["org_unit"] = map[string]any{"id": r.OrgUnit, "name": ""}
	if o := sc.orgUnit; o != nil {
		v["org_unit"] = map[string]any{"id": o.ID, "name": o.Name}
	}
	v["place"] = map[string]any{"id": r.Place, "name": "", "address": ""}
	if p := sc.place; p != nil {
		v["place"] = map[string]any{"id": p.ID, "name": p.Name, "address": p.Address}
	}
}

// location is the time zone times are shown in: the org unit's, else the
// tenant's.
func (sc *scene) location() *time.Location {
	for _, tz := range []string{sc.orgUnitTimeZone(), sc.tenant.TimeZone, "Europe/Stockholm"} {
		if loc, err := avisera.LoadLocation(tz); tz != "" && err == nil {
			return loc
		}
	}
	return time.UTC
}

func (sc *scene) orgUnitTimeZone() string {
	if sc.orgUnit != nil {
		return sc.orgUnit.TimeZone
	}
	return ""
}

// deliveryBase fills the report columns every delivery of the event shares.
func (sc *scene) deliveryBase(now time.Time) avisera.Delivery {
	d := avisera.Delivery{EventID: sc.ev.ID, EventType: sc.ev.EventType, Trigger: sc.ev.Trigger,
		OccurredAt: sc.ev.OccurredAt, Object: sc.ev.Subject, CustomerID: sc.ev.Refs.Customer,
		ContractID: sc.ev.Refs.Contract, OrgUnitID: sc.ev.Refs.OrgUnit, StatusAt: now, CreatedAt: now}
	if sc.customer != nil {
		d.CustomerID = sc.customer.ID
	}
	if sc.orgUnit != nil {
		d.OrgUnitID, d.OrgUnitName = sc.orgUnit.ID, sc.orgUnit.Name
	}
	return d
}
