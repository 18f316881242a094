package catalog

import "slices"

// EventType is one kind of business object a message is written for. A
// message belongs to exactly one event type and is only ever rendered with
// that type's variables.
type EventType struct {
	Name      string     `json:"name"`
	LabelSV   string     `json:"label_sv"`
	LabelEN   string     `json:"label_en"`
	Triggers  []Trigger  `json:"triggers"`
	Variables []Variable `json:"variables"`
	Tokens    []string   `json:"tokens"`
}

// Trigger is a rule that makes a linked message fire for an event type.
type Trigger struct {
	Name    string `json:"name"`
	LabelSV string `json:"label_sv"`
	LabelEN string `json:"label_en"`
	// TimeBased triggers fire from a plan's timer and take an offset when
	// linked (a reminder before the start, a watchdog after it).
	TimeBased bool `json:"time_based"`
	// Periodic triggers are schedule summaries (weekly, monthly, dates);
	// they are time-based too and render the plans variable.
	Periodic bool `json:"periodic"`
}

// Trigger returns the event type's trigger with the given name.
func (et EventType) Trigger(name string) (Trigger, bool) {
	for _, t := range et.Triggers {
		if t.Name == name {
			return t, true
		}
	}
	return Trigger{}, false
}

// HasToken reports whether the event type can resolve the dynamic recipient
// token, such as "customer_contacts".
func (et EventType) HasToken(token string) bool {
	return slices.Contains(et.Tokens, token)
}

// Variable returns the declared variable with the dotted name.
func (et EventType) Variable(name string) (Variable, bool) {
	for _, v := range et.Variables {
		if v.Name == name {
			return v, true
		}
	}
	return Variable{}, false
}

// trigger builds an event-driven trigger.
func trigger(name, sv, en string) Trigger {
	return Trigger{Name: name, LabelSV: sv, LabelEN: en}
}

// timer builds a time-based trigger, fired by a plan's timer with an offset.
func timer(name, sv, en string) Trigger {
	return Trigger{Name: name, LabelSV: sv, LabelEN: en, TimeBased: true}
}

// summary builds a periodic (schedule summary) trigger.
func summary(name, sv, en string) Trigger {
	return Trigger{Name: name, LabelSV: sv, LabelEN: en, TimeBased: true, Periodic: true}
}
