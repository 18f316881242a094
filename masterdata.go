package avisera

import "time"

// OrgUnit is a node of the tenant's organisation tree. Time zone and language
// are inherited by notifications for everything beneath it.
type OrgUnit struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id,omitempty"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone,omitempty"`
	Language string `json:"language,omitempty"`
	// QuietFrom and QuietTo bound the night (local time, "21:00"–"07:00"
	// when empty) when SMS wait for the morning unless the link is urgent.
	QuietFrom string    `json:"quiet_from,omitempty"`
	QuietTo   string    `json:"quiet_to,omitempty"`
	Contacts  []Contact `json:"main_contacts,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Customer is a customer of the service company.
type Customer struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Number    string    `json:"number,omitempty"`
	OrgUnitID string    `json:"org_unit_id,omitempty"`
	Contacts  []Contact `json:"main_contacts,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Contract belongs to a customer and is served by an org unit.
type Contract struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CustomerID string     `json:"customer_id"`
	OrgUnitID  string     `json:"org_unit_id,omitempty"`
	ValidFrom  *time.Time `json:"valid_from,omitempty"`
	ValidTo    *time.Time `json:"valid_to,omitempty"`
	Contacts   []Contact  `json:"main_contacts,omitempty"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// Place is a site where work is done.
type Place struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Address    string    `json:"address,omitempty"`
	CustomerID string    `json:"customer_id,omitempty"`
	OrgUnitID  string    `json:"org_unit_id,omitempty"`
	Contacts   []Contact `json:"main_contacts,omitempty"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// User is a person of the service company: a service performer, a manager,
// an administrator. Users need no login to receive notifications (seed rule
// 4); NotificationRecipient comes from their role in the host system.
type User struct {
	ID                    string     `json:"id"`
	Name                  string     `json:"name"`
	Role                  string     `json:"role"`
	NotificationRecipient bool       `json:"notification_recipient"`
	ValidFrom             *time.Time `json:"valid_from,omitempty"`
	ValidTo               *time.Time `json:"valid_to,omitempty"`
	Language              string     `json:"language,omitempty"`
	OrgUnitIDs            []string   `json:"org_unit_ids"`
	ContactID             string     `json:"contact_id,omitempty"` // the user's own contact (seed rule 7)
	Emails                []string   `json:"emails"`
	Phones                []string   `json:"phones"`
	Device                *Device    `json:"device,omitempty"`
	UpdatedAt             time.Time  `json:"updated_at"`
}

// ValidAt reports whether the user's validity period covers t.
func (u User) ValidAt(t time.Time) bool {
	return validAt(u.ValidFrom, u.ValidTo, t)
}

// ValidAt reports whether the contract's validity period covers t.
func (c Contract) ValidAt(t time.Time) bool {
	return validAt(c.ValidFrom, c.ValidTo, t)
}

func validAt(from, to *time.Time, t time.Time) bool {
	if from != nil && t.Before(*from) {
		return false
	}
	return to == nil || t.Before(*to)
}

// Device is the phone a performer is logged in on (seed rule 8). SMS to the
// performer go to it while LoggedOutAt is nil.
type Device struct {
	UserID      string     `json:"user_id"`
	Phone       string     `json:"phone"`
	LoggedInAt  time.Time  `json:"logged_in_at"`
	LoggedOutAt *time.Time `json:"logged_out_at,omitempty"`
}

// Active reports whether the device login is current.
func (d *Device) Active() bool { return d != nil && d.LoggedOutAt == nil }
