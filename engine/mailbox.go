package engine

import (
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/email"
	"github.com/avisera/avisera/sms"
	"github.com/avisera/avisera/store"
)

// devEmail is the built-in dev mailbox for email: with no SMTP server
// configured, mail is stored and listed by GET /api/v1/dev/mailbox.
type devEmail struct {
	store store.Store
	now   func() time.Time
	from  string // the sender of emails that name none
}

// SendEmail implements EmailSender.
func (d *devEmail) SendEmail(ctx context.Context, tenantID string, msgs []*email.Message) []email.Result {
	items := make([]avisera.MailboxItem, len(msgs))
	results := make([]email.Result, len(msgs))
	for i, m := range msgs {
		id := newID()
		mid := strings.Trim(m.MessageID, "<>")
		if mid == "" {
			mid = d.MessageID(id)
		}
		items[i] = avisera.MailboxItem{ID: id, DeliveryID: m.Headers["X-Avisera-Delivery"], Channel: avisera.ChannelEmail,
			From: cmp.Or(m.From, d.from), To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
			MessageID: "<" + mid + ">", CreatedAt: d.now()}
		results[i].MessageID = items[i].MessageID
	}
	if err := d.store.AddToMailbox(ctx, tenantID, items); err != nil {
		for i := range results {
			results[i] = email.Result{Err: err}
		}
	}
	return results
}

// MessageID implements EmailSender.
func (d *devEmail) MessageID(deliveryID string) string { return deliveryID + "@avisera.dev" }

// devSMS is the built-in dev mailbox for SMS.
type devSMS struct {
	store store.Store
	now   func() time.Time
}

// SendSMS implements SMSSender.
func (d *devSMS) SendSMS(ctx context.Context, tenantID string, m sms.Message) (sms.Result, error) {
	id := newID()
	item := avisera.MailboxItem{ID: id, DeliveryID: m.Reference, Channel: avisera.ChannelSMS, From: m.From,
		To: m.To, Text: m.Text, MessageID: id, CreatedAt: d.now()}
	if err := d.store.AddToMailbox(ctx, tenantID, []avisera.MailboxItem{item}); err != nil {
		return sms.Result{}, err
	}
	return sms.Result{ProviderID: id, Segments: sms.Segments(m.Text)}, nil
}

// Mailbox lists the dev mailbox, newest first.
func (e *Engine) Mailbox(ctx context.Context, tenantID string, p avisera.Page) (List[avisera.MailboxItem], error) {
	p = p.Normalize()
	// An id in newID's form: uuid.Parse takes other spellings too, and
	// ids are compared as text.
	if id, err := uuid.Parse(p.After); p.After != "" && (err != nil || id.String() != p.After) {
		return List[avisera.MailboxItem]{}, avisera.Invalid("cursor", "is not a cursor this API returned")
	}
	items, err := e.store.ListMailbox(ctx, tenantID, ahead(p))
	return page(items, p, func(m avisera.MailboxItem) string { return m.ID }), err
}

// ClearMailbox empties the dev mailbox.
func (e *Engine) ClearMailbox(ctx context.Context, tenantID string) error {
	return e.store.ClearMailbox(ctx, tenantID)
}
