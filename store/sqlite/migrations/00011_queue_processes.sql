-- +goose Up
-- Each serve process's queue (its River client id) says here every few
-- seconds that it is alive. The send jobs of a process that fell silent
-- (killed, its machine gone) run again at once, instead of after
-- AVISERA_RESCUE_AFTER; a process that stops cleanly removes its row.
CREATE TABLE queue_processes (
    id         TEXT PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    seen_at    TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE queue_processes;
