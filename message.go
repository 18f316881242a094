package avisera

import "time"

// Message is a typed notification template (seed rule 1): it belongs to one
// event type and can be linked to any number of targets of that type.
type Message struct {
	ID            string     `json:"id"`
	EventType     string     `json:"event_type"`
	Name          string     `json:"name"`
	LatestVersion int        `json:"latest_version"`
	ArchivedAt    *time.Time `json:"archived_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	// Latest is the newest version, filled by reads that need it.
	Latest *MessageVersion `json:"latest,omitempty"`
}

// Content is one language variant of a message: Liquid templates for the
// subject, the Markdown email body and the SMS text.
type Content struct {
	Subject   string `json:"subject"`
	EmailBody string `json:"email_body"`
	SMSBody   string `json:"sms_body"`
}

// MessageVersion is an immutable version of a message's content. Links pin
// the version they were linked with (seed rule 3).
type MessageVersion struct {
	MessageID string `json:"message_id"`
	Version   int    `json:"version"`
	Content
	// Language is the language of the main content (sv or en).
	Language string `json:"language"`
	// Variants holds the content in other languages, keyed by language.
	Variants map[string]Content `json:"variants,omitempty"`
	// LogoURL is shown in the email header; empty uses the tenant's.
	LogoURL string `json:"logo_url,omitempty"`
	// IncludeFiles adds the event's reports as download links.
	IncludeFiles bool      `json:"include_files"`
	ChangedBy    string    `json:"changed_by"`
	Note         string    `json:"note,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// ContentFor picks the variant of the first language in langs that the
// version has, falling back to the main content.
func (v MessageVersion) ContentFor(langs ...string) (Content, string) {
	for _, l := range langs {
		if l == "" {
			continue
		}
		if l == v.Language {
			return v.Content, l
		}
		if c, ok := v.Variants[l]; ok {
			return c, l
		}
	}
	return v.Content, v.Language
}
