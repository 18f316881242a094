-- +goose Up
-- A plan announced after the event that answers it (a shift started before
-- it was planned) finds that event by its subject.
CREATE INDEX events_subject ON events (tenant_id, event_type, subject_id);

-- +goose Down
DROP INDEX events_subject;
