-- +goose Up
CREATE TABLE events (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    id           TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    refs         TEXT NOT NULL,
    data         TEXT NOT NULL,
    files        TEXT NOT NULL,
    body_hash    TEXT NOT NULL,
    planned      INTEGER NOT NULL,
    suppressed   INTEGER NOT NULL,
    accepted_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE deliveries (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    trigger_name    TEXT NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    object_type     TEXT NOT NULL,
    object_id       TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    message_version INTEGER NOT NULL,
    link_ids        TEXT NOT NULL,
    channel         TEXT NOT NULL,
    recipient_name  TEXT NOT NULL,
    address         TEXT NOT NULL,
    search          TEXT NOT NULL,
    language        TEXT NOT NULL,
    reached_via     TEXT NOT NULL,
    org_unit_id     TEXT NOT NULL,
    org_unit_name   TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    contract_id     TEXT NOT NULL,
    status          TEXT NOT NULL,
    status_at       TIMESTAMPTZ NOT NULL,
    detail          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ,
    provider_id     TEXT NOT NULL DEFAULT '',
    segments        INTEGER NOT NULL DEFAULT 0,
    sent_at         TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    subject         TEXT NOT NULL,
    html            TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    sms             TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id)
);
CREATE INDEX deliveries_created ON deliveries (tenant_id, created_at, id);
CREATE INDEX deliveries_event ON deliveries (tenant_id, event_id);
CREATE INDEX deliveries_provider ON deliveries (tenant_id, provider_id);

CREATE TABLE delivery_history (
    tenant_id   TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    id          TEXT NOT NULL,
    status      TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    detail      TEXT NOT NULL,
    applied     BOOLEAN NOT NULL,
    PRIMARY KEY (tenant_id, delivery_id, id)
);

CREATE TABLE mailbox (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    channel     TEXT NOT NULL,
    sender      TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    text_body   TEXT NOT NULL,
    html        TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- +goose Down
DROP TABLE mailbox;
DROP TABLE delivery_history;
DROP TABLE deliveries;
DROP TABLE events;
