-- +goose Up
CREATE TABLE admins (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    language      TEXT NOT NULL DEFAULT 'sv',
    created_at    TIMESTAMPTZ NOT NULL,
    last_login_at TIMESTAMPTZ
);
CREATE INDEX admins_tenant ON admins (tenant_id);

CREATE TABLE admin_sessions (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    admin_id   TEXT NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX admin_sessions_admin ON admin_sessions (admin_id);
CREATE INDEX admin_sessions_expires ON admin_sessions (expires_at);

CREATE TABLE admin_login_failures (
    login_key TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX admin_login_failures_key ON admin_login_failures (login_key, at);
CREATE INDEX admin_login_failures_at ON admin_login_failures (at);

-- +goose Down
DROP TABLE admin_login_failures;
DROP TABLE admin_sessions;
DROP TABLE admins;
