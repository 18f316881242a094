package avisera

import "time"

// File is a report (a PDF …) the host uploaded for events to reference.
// Emails carry signed, expiring download links to it (seed rule 9).
type File struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}
