-- +goose Up
CREATE TABLE messages (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    id             TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    name           TEXT NOT NULL,
    search         TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    archived_at    TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX messages_type ON messages (tenant_id, event_type);

CREATE TABLE message_versions (
    tenant_id  TEXT NOT NULL,
    message_id TEXT NOT NULL,
    version    INTEGER NOT NULL,
    content    TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, message_id, version),
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id)
);

CREATE TABLE links (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    message_version INTEGER NOT NULL,
    trigger_name    TEXT NOT NULL,
    offset_ns       BIGINT NOT NULL DEFAULT 0,
    offset_from     TEXT NOT NULL DEFAULT '',
    target_type     TEXT NOT NULL,
    target_id       TEXT NOT NULL,
    channels        TEXT NOT NULL,
    valid_from      TIMESTAMP,
    valid_to        TIMESTAMP,
    static          TEXT NOT NULL,
    dynamic         TEXT NOT NULL,
    urgent          BOOLEAN NOT NULL DEFAULT FALSE,
    time_of_day     TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    deleted_at      TIMESTAMP,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, message_id, message_version) REFERENCES message_versions (tenant_id, message_id, version)
);
CREATE INDEX links_target ON links (tenant_id, target_type, target_id);
CREATE INDEX links_message ON links (tenant_id, message_id);

-- +goose Down
DROP TABLE links;
DROP TABLE message_versions;
DROP TABLE messages;
