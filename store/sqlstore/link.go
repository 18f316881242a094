package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// PutLink implements store.MessageStore.
func (s *Store) PutLink(ctx context.Context, tenantID string, l avisera.Link) error {
	static, err := json.Marshal(l.Static)
	if err != nil {
		return fmt.Errorf("encode static recipients: %w", err)
	}
	schedule, err := json.Marshal(l.Schedule)
	if err != nil {
		return fmt.Errorf("encode schedule: %w", err)
	}
	_, err = s.upsert(ctx, "links", tenantID, l.ID,
		[]string{"message_id", "message_version", "trigger_name", "offset_ns", "offset_from", "target_type",
			"target_id", "channels", "valid_from", "valid_to", "static", "dynamic", "urgent", "time_of_day",
			"created_at", "updated_at", "schedule"},
		l.MessageID, l.MessageVersion, l.Trigger, int64(l.Offset), l.OffsetFrom, l.Target.Type, l.Target.ID,
		joinList(l.Channels), nullTime(l.ValidFrom), nullTime(l.ValidTo), string(static), joinList(l.Dynamic),
		l.Urgent, l.TimeOfDay, l.CreatedAt.UTC(), l.UpdatedAt.UTC(), string(schedule))
	return err
}

const linkSelect = `SELECT l.id, l.message_id, l.message_version, l.trigger_name, l.offset_ns, l.offset_from,
	l.target_type, l.target_id, l.channels, l.valid_from, l.valid_to, l.static, l.dynamic, l.urgent,
	l.time_of_day, l.created_at, l.updated_at, m.latest_version, m.event_type, m.archived_at IS NOT NULL, l.schedule
	FROM links l JOIN messages m ON m.tenant_id = l.tenant_id AND m.id = l.message_id`

func scanLink(sc interface{ Scan(...any) error }) (avisera.Link, error) {
	var l avisera.Link
	var offset int64
	var channels, static, dynamic, schedule string
	var from, to sql.NullTime
	err := sc.Scan(&l.ID, &l.MessageID, &l.MessageVersion, &l.Trigger, &offset, &l.OffsetFrom, &l.Target.Type,
		&l.Target.ID, &channels, &from, &to, &static, &dynamic, &l.Urgent, &l.TimeOfDay, &l.CreatedAt,
		&l.UpdatedAt, &l.LatestVersion, &l.EventType, &l.MessageArchived, &schedule)
	if err != nil {
		return l, err
	}
	l.Offset, l.Channels, l.Dynamic = avisera.Duration(offset), splitList(channels), splitList(dynamic)
	l.ValidFrom, l.ValidTo = timePtr(from), timePtr(to)
	l.Stale = l.MessageVersion < l.LatestVersion
	if err := json.Unmarshal([]byte(static), &l.Static); err != nil {
		return l, fmt.Errorf("decode static recipients: %w", err)
	}
	if err := json.Unmarshal([]byte(schedule), &l.Schedule); err != nil {
		return l, fmt.Errorf("decode schedule: %w", err)
	}
	return l, nil
}

// GetLink implements store.MessageStore.
func (s *Store) GetLink(ctx context.Context, tenantID, id string) (avisera.Link, error) {
	l, err := scanLink(s.queryRow(ctx, linkSelect+` WHERE l.tenant_id = ? AND l.id = ?
		AND l.deleted_at IS NULL`, tenantID, id))
	return l, s.wrap(err)
}

// DeleteLink implements store.MessageStore.
func (s *Store) DeleteLink(ctx context.Context, tenantID, id string, at time.Time) error {
	res, err := s.exec(ctx, `UPDATE links SET deleted_at = ? WHERE tenant_id = ? AND id = ?
		AND deleted_at IS NULL`, at.UTC(), tenantID, id)
	return s.mustAffect(res, err)
}

// ListLinks implements store.MessageStore.
func (s *Store) ListLinks(ctx context.Context, tenantID string, f store.LinkFilter) ([]avisera.Link, error) {
	where, args := ` WHERE l.tenant_id = ? AND l.deleted_at IS NULL`, []any{tenantID}
	if len(f.Targets) > 0 {
		ors := make([]string, len(f.Targets))
		for i, t := range f.Targets {
			ors[i] = `(l.target_type = ? AND l.target_id = ?)`
			args = append(args, t.Type, t.ID)
		}
		where += ` AND (` + strings.Join(ors, " OR ") + `)`
	}
	for _, c := range []struct{ col, v string }{{"l.message_id", f.MessageID}, {"l.trigger_name", f.Trigger},
		{"m.event_type", f.EventType}, {"l.target_type", f.TargetType}} {
		if c.v != "" {
			where += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	if f.StaleOnly {
		where += ` AND l.message_version < m.latest_version`
	}
	rows, err := s.query(ctx, linkSelect+where+` ORDER BY l.created_at, l.id`, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanLink)
}
