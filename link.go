package avisera

import (
	"slices"
	"time"
)

// Target types of a link. Besides these, a link may target one business
// object by its event type name (order, work_shift, …) and the host's id.
const (
	TargetTenant   = "tenant"
	TargetOrgUnit  = "org_unit"
	TargetCustomer = "customer"
	TargetContract = "contract"
	TargetPlace    = "place"
	TargetUser     = "user"
)

// Channels.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Dynamic recipient tokens (seed rule 5).
const (
	TokenPerformer        = "performer"
	TokenCustomerContacts = "customer_contacts"
	TokenContractContacts = "contract_contacts"
	TokenOrgUnitContacts  = "org_unit_contacts"
	TokenPlaceContacts    = "place_contacts"
)

// Target is what a link is attached to. ID is empty for the tenant.
type Target struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
}

// StaticRecipient is a named user and the addresses of theirs chosen for
// the link (seed rule 4).
type StaticRecipient struct {
	UserID    string   `json:"user_id"`
	Addresses []string `json:"addresses"`
}

// Link activates a message version for a trigger on a target, with
// channels, recipients and a validity period (seed rule 2).
type Link struct {
	ID             string            `json:"id"`
	MessageID      string            `json:"message_id"`
	MessageVersion int               `json:"message_version"`
	Trigger        string            `json:"trigger"`
	Offset         Duration          `json:"offset,omitempty"`
	OffsetFrom     string            `json:"offset_from,omitempty"` // earliest, planned or latest start
	Target         Target            `json:"target"`
	Channels       []string          `json:"channels"`
	ValidFrom      *time.Time        `json:"valid_from,omitempty"`
	ValidTo        *time.Time        `json:"valid_to,omitempty"`
	Static         []StaticRecipient `json:"static"`
	Dynamic        []string          `json:"dynamic"`
	Urgent         bool              `json:"urgent"`
	TimeOfDay      string            `json:"time_of_day,omitempty"` // HH:MM for summaries
	Schedule       Schedule          `json:"schedule"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	// Stale is true when the message has a newer version than the pinned one.
	Stale bool `json:"stale"`
	// LatestVersion is the message's newest version, for stale links.
	LatestVersion int `json:"latest_version,omitempty"`
	// EventType is the message's event type.
	EventType string `json:"event_type,omitempty"`
	// MessageArchived is true when the message is archived: the link sends nothing.
	MessageArchived bool `json:"message_archived,omitempty"`
}

// ValidAt reports whether the link's validity period covers t.
func (l Link) ValidAt(t time.Time) bool { return validAt(l.ValidFrom, l.ValidTo, t) }

// HasChannel reports whether the link sends on channel.
func (l Link) HasChannel(channel string) bool { return slices.Contains(l.Channels, channel) }
