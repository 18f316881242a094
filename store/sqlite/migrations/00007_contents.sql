-- +goose Up
CREATE TABLE contents (
    tenant_id TEXT NOT NULL,
    id        TEXT NOT NULL,
    subject   TEXT NOT NULL,
    html      TEXT NOT NULL,
    text_body TEXT NOT NULL,
    sms       TEXT NOT NULL,
    personal  BOOLEAN NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE deliveries ADD COLUMN content_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE deliveries DROP COLUMN content_id;
DROP TABLE contents;
