-- +goose Up
ALTER TABLE tenants ADD COLUMN link_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN webhook_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX tenants_webhook_secret ON tenants (webhook_secret) WHERE webhook_secret <> '';

CREATE TABLE files (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE downloads (
    tenant_id   TEXT NOT NULL,
    file_id     TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    FOREIGN KEY (tenant_id, file_id) REFERENCES files (tenant_id, id)
);
CREATE INDEX downloads_delivery ON downloads (tenant_id, delivery_id);

-- +goose Down
DROP TABLE downloads;
DROP TABLE files;
DROP INDEX tenants_webhook_secret;
ALTER TABLE tenants DROP COLUMN settings;
ALTER TABLE tenants DROP COLUMN webhook_secret;
ALTER TABLE tenants DROP COLUMN link_secret;
