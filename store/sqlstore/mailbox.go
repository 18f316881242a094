package sqlstore

import (
	"context"
	"strings"

	"github.com/avisera/avisera"
)

var mailboxColumns = []column{{"tenant_id", "text"}, {"id", "text"}, {"delivery_id", "text"}, {"channel", "text"},
	{"sender", "text"}, {"recipient", "text"}, {"subject", "text"}, {"text_body", "text"}, {"html", "text"},
	{"message_id", "text"}, {"created_at", "timestamptz"}}

// AddToMailbox implements store.EventStore.
func (s *Store) AddToMailbox(ctx context.Context, tenantID string, items []avisera.MailboxItem) error {
	rows := make([][]any, len(items))
	for i, m := range items {
		rows[i] = []any{tenantID, m.ID, m.DeliveryID, m.Channel, m.From, m.To, m.Subject, m.Text, m.HTML,
			m.MessageID, m.CreatedAt.UTC()}
	}
	return s.insertRows(ctx, "mailbox", mailboxColumns, rows)
}

// ListMailbox implements store.EventStore: newest first, keyset by id
// (ids are time-ordered).
func (s *Store) ListMailbox(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.MailboxItem, error) {
	where, args := ` WHERE tenant_id = ?`, []any{tenantID}
	if p.After != "" {
		where += ` AND id < ?`
		args = append(args, p.After)
	}
	if p.Q != "" {
		where += ` AND (LOWER(recipient) LIKE ? ESCAPE '\' OR LOWER(subject) LIKE ? ESCAPE '\')`
		q := likePattern(strings.ToLower(p.Q))
		args = append(args, q, q)
	}
	rows, err := s.query(ctx, `SELECT id, delivery_id, channel, sender, recipient, subject, text_body, html,
		message_id, created_at FROM mailbox`+where+` ORDER BY id DESC LIMIT ?`, append(args, p.Limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (avisera.MailboxItem, error) {
		var m avisera.MailboxItem
		return m, sc.Scan(&m.ID, &m.DeliveryID, &m.Channel, &m.From, &m.To, &m.Subject, &m.Text, &m.HTML,
			&m.MessageID, &m.CreatedAt)
	})
}

// ClearMailbox implements store.EventStore.
func (s *Store) ClearMailbox(ctx context.Context, tenantID string) error {
	_, err := s.exec(ctx, `DELETE FROM mailbox WHERE tenant_id = ?`, tenantID)
	return err
}
