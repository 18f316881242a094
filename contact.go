package avisera

import (
	"slices"
	"time"
)

// Contact roles on a link between a contact and an object.
const (
	RoleNotificationRecipient = "notification_recipient"
	RoleMainContact           = "main_contact"
	RoleSurveyRecipient       = "survey_recipient"
)

// Roles lists the valid contact roles.
var Roles = []string{RoleNotificationRecipient, RoleMainContact, RoleSurveyRecipient}

// Object types a contact can be linked to. The values are also the path
// segments of the API (org-units …) mapped by api.
const (
	ObjectCustomer = "customer"
	ObjectContract = "contract"
	ObjectOrgUnit  = "org_unit"
	ObjectPlace    = "place"
	ObjectUser     = "user"
)

// Contact is an entry of the contact book: a person with any number of
// email addresses and phone numbers (E.164). An address belongs to one
// contact per tenant.
type Contact struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Emails    []string  `json:"emails"`
	Phones    []Phone   `json:"phones"`
	Language  string    `json:"language,omitempty"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Phone is a normalised phone number and whether it can receive SMS.
type Phone struct {
	Number string `json:"number"`
	Mobile bool   `json:"mobile"`
}

// ContactLink ties a contact to an object with roles.
type ContactLink struct {
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	ContactID  string    `json:"contact_id"`
	Roles      []string  `json:"roles"`
	Contact    *Contact  `json:"contact,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// HasRole reports whether the link carries role.
func (l ContactLink) HasRole(role string) bool { return slices.Contains(l.Roles, role) }
