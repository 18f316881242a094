-- +goose Up
-- A plan announced after the event that answers it (a shift clocked in
-- before it was planned) finds that event by its subject; the index alone
-- answers the lookup. Every event pays for an entry (one per event, where a
-- delivery pays for four).
CREATE INDEX events_subject ON events (tenant_id, event_type, subject_id, trigger_name, occurred_at);

-- +goose Down
DROP INDEX events_subject;
