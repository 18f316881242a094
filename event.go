package avisera

import (
	"encoding/json"
	"time"
)

// Event is something that happened in the host system, posted to
// POST /api/v1/events. ID is the host's id and the idempotency key.
type Event struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"` // "<event_type>.<trigger>", e.g. "order.completed"
	EventType  string          `json:"event_type"`
	Trigger    string          `json:"trigger"`
	OccurredAt time.Time       `json:"occurred_at"`
	Subject    Target          `json:"subject"`
	Refs       Refs            `json:"refs"`
	Data       json.RawMessage `json:"data,omitempty"`
	Files      []string        `json:"files,omitempty"`
	// BodyHash identifies the request body, to tell a retry from a clash.
	BodyHash   string    `json:"-"`
	AcceptedAt time.Time `json:"accepted_at"`
	// Planned and Suppressed count the deliveries the event made.
	Planned    int `json:"deliveries"`
	Suppressed int `json:"suppressed"`
}

// Refs are the business context of an event or object: the host's ids of
// the customer, contract, org unit, place and users it concerns.
type Refs struct {
	Customer string   `json:"customer,omitempty"`
	Contract string   `json:"contract,omitempty"`
	OrgUnit  string   `json:"org_unit,omitempty"`
	Place    string   `json:"place,omitempty"`
	Users    []string `json:"users,omitempty"`
}
