-- +goose Up
CREATE TABLE plans (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    type         TEXT NOT NULL,
    id           TEXT NOT NULL,
    refs         TEXT NOT NULL,
    starts_at    TIMESTAMPTZ NOT NULL,
    ends_at      TIMESTAMPTZ,
    earliest_at  TIMESTAMPTZ,
    latest_at    TIMESTAMPTZ,
    data         TEXT NOT NULL,
    status       TEXT NOT NULL,
    started_at   TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, type, id)
);
CREATE INDEX plans_start ON plans (tenant_id, starts_at);

CREATE TABLE plan_users (
    tenant_id TEXT NOT NULL,
    type      TEXT NOT NULL,
    plan_id   TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, type, plan_id, user_id),
    FOREIGN KEY (tenant_id, type, plan_id) REFERENCES plans (tenant_id, type, id) ON DELETE CASCADE
);
CREATE INDEX plan_users_user ON plan_users (tenant_id, user_id);

CREATE TABLE timers (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    kind         TEXT NOT NULL,
    plan_type    TEXT NOT NULL,
    plan_id      TEXT NOT NULL,
    link_id      TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    due_at       TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    event_id     TEXT NOT NULL DEFAULT '',
    fired_at     TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX timers_due ON timers (status, due_at);
CREATE INDEX timers_plan ON timers (tenant_id, plan_type, plan_id, status);
CREATE INDEX timers_link ON timers (tenant_id, link_id, status);

ALTER TABLE links ADD COLUMN schedule TEXT NOT NULL DEFAULT '{}';
ALTER TABLE org_units ADD COLUMN quiet_from TEXT NOT NULL DEFAULT '';
ALTER TABLE org_units ADD COLUMN quiet_to TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE org_units DROP COLUMN quiet_to;
ALTER TABLE org_units DROP COLUMN quiet_from;
ALTER TABLE links DROP COLUMN schedule;
DROP TABLE timers;
DROP TABLE plan_users;
DROP TABLE plans;
