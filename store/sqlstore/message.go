package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/fold"
	"github.com/avisera/avisera/store"
)

// versionContent is the JSON column of a message version.
type versionContent struct {
	avisera.Content
	Language     string                     `json:"language"`
	Variants     map[string]avisera.Content `json:"variants,omitempty"`
	LogoURL      string                     `json:"logo_url,omitempty"`
	IncludeFiles bool                       `json:"include_files"`
}

// CreateMessage implements store.MessageStore.
func (s *Store) CreateMessage(ctx context.Context, tenantID string, m avisera.Message, v avisera.MessageVersion) error {
	_, err := s.exec(ctx, `INSERT INTO messages (tenant_id, id, event_type, name, search, latest_version,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tenantID, m.ID, m.EventType, m.Name,
		fold.String(m.Name), v.Version, m.CreatedAt.UTC(), m.UpdatedAt.UTC())
	if err != nil {
		return err
	}
	return s.insertVersion(ctx, tenantID, v)
}

func (s *Store) insertVersion(ctx context.Context, tenantID string, v avisera.MessageVersion) error {
	content, err := json.Marshal(versionContent{Content: v.Content, Language: v.Language, Variants: v.Variants,
		LogoURL: v.LogoURL, IncludeFiles: v.IncludeFiles})
	if err != nil {
		return fmt.Errorf("encode message version: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO message_versions (tenant_id, message_id, version, content, changed_by,
		note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, tenantID, v.MessageID, v.Version, string(content),
		v.ChangedBy, v.Note, v.CreatedAt.UTC())
	return err
}

// AddMessageVersion implements store.MessageStore.
func (s *Store) AddMessageVersion(ctx context.Context, tenantID string, m avisera.Message, v avisera.MessageVersion) error {
	if err := s.insertVersion(ctx, tenantID, v); err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE messages SET name = ?, search = ?, latest_version = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`, m.Name, fold.String(m.Name), v.Version, m.UpdatedAt.UTC(), tenantID, m.ID)
	return s.mustAffect(res, err)
}

// SetMessageArchived implements store.MessageStore.
func (s *Store) SetMessageArchived(ctx context.Context, tenantID, id string, at *time.Time) error {
	res, err := s.exec(ctx, `UPDATE messages SET archived_at = ? WHERE tenant_id = ? AND id = ?`,
		nullTime(at), tenantID, id)
	return s.mustAffect(res, err)
}

const messageColumns = `id, event_type, name, latest_version, archived_at, created_at, updated_at`

func scanMessage(sc interface{ Scan(...any) error }) (avisera.Message, error) {
	var m avisera.Message
	var archived sql.NullTime
	err := sc.Scan(&m.ID, &m.EventType, &m.Name, &m.LatestVersion, &archived, &m.CreatedAt, &m.UpdatedAt)
	m.ArchivedAt = timePtr(archived)
	return m, err
}

// GetMessage implements store.MessageStore.
func (s *Store) GetMessage(ctx context.Context, tenantID, id string) (avisera.Message, error) {
	m, err := scanMessage(s.queryRow(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return m, s.wrap(err)
}

// ListMessages implements store.MessageStore.
func (s *Store) ListMessages(ctx context.Context, tenantID string, f store.MessageFilter, p avisera.Page) ([]avisera.Message, error) {
	where, args := ` WHERE tenant_id = ?`, []any{tenantID}
	if f.EventType != "" {
		where += ` AND event_type = ?`
		args = append(args, f.EventType)
	}
	if f.Archived {
		where += ` AND archived_at IS NOT NULL`
	} else {
		where += ` AND archived_at IS NULL`
	}
	if q := fold.String(p.Q); q != "" {
		where += ` AND search LIKE ? ESCAPE '\'`
		args = append(args, likePattern(q))
	}
	if p.After != "" {
		where += ` AND id > ?`
		args = append(args, p.After)
	}
	rows, err := s.query(ctx, `SELECT `+messageColumns+` FROM messages`+where+` ORDER BY id LIMIT ?`,
		append(args, p.Limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanMessage)
}

func scanVersion(sc interface{ Scan(...any) error }) (avisera.MessageVersion, error) {
	var v avisera.MessageVersion
	var content string
	if err := sc.Scan(&v.MessageID, &v.Version, &content, &v.ChangedBy, &v.Note, &v.CreatedAt); err != nil {
		return v, err
	}
	var c versionContent
	if err := json.Unmarshal([]byte(content), &c); err != nil {
		return v, fmt.Errorf("decode message version: %w", err)
	}
	v.Content, v.Language, v.Variants, v.LogoURL, v.IncludeFiles = c.Content, c.Language, c.Variants, c.LogoURL, c.IncludeFiles
	return v, nil
}

const versionColumns = `message_id, version, content, changed_by, note, created_at`

// GetMessageVersion implements store.MessageStore.
func (s *Store) GetMessageVersion(ctx context.Context, tenantID, messageID string, version int) (avisera.MessageVersion, error) {
	v, err := scanVersion(s.queryRow(ctx, `SELECT `+versionColumns+` FROM message_versions
		WHERE tenant_id = ? AND message_id = ? AND version = ?`, tenantID, messageID, version))
	return v, s.wrap(err)
}

// ListMessageVersions implements store.MessageStore.
func (s *Store) ListMessageVersions(ctx context.Context, tenantID, messageID string) ([]avisera.MessageVersion, error) {
	rows, err := s.query(ctx, `SELECT `+versionColumns+` FROM message_versions
		WHERE tenant_id = ? AND message_id = ? ORDER BY version DESC`, tenantID, messageID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanVersion)
}
