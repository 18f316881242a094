-- +goose Up
CREATE TABLE tenants (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    region     TEXT NOT NULL DEFAULT 'SE',
    language   TEXT NOT NULL DEFAULT 'sv',
    time_zone  TEXT NOT NULL DEFAULT 'Europe/Stockholm',
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    name       TEXT NOT NULL,
    prefix     TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE org_units (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    id         TEXT NOT NULL,
    parent_id  TEXT,
    name       TEXT NOT NULL,
    search     TEXT NOT NULL,
    time_zone  TEXT NOT NULL DEFAULT '',
    language   TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES org_units (tenant_id, id)
);
CREATE INDEX org_units_parent ON org_units (tenant_id, parent_id);

CREATE TABLE customers (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    number      TEXT NOT NULL DEFAULT '',
    org_unit_id TEXT,
    search      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id)
);

CREATE TABLE contracts (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    org_unit_id TEXT,
    valid_from  TIMESTAMPTZ,
    valid_to    TIMESTAMPTZ,
    search      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id)
);
CREATE INDEX contracts_customer ON contracts (tenant_id, customer_id);

CREATE TABLE places (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    customer_id TEXT,
    org_unit_id TEXT,
    search      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id)
);

CREATE TABLE contacts (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    id         TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_key   TEXT COLLATE "C" NOT NULL,
    language   TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX contacts_name ON contacts (tenant_id, name_key, id);

CREATE TABLE contact_addresses (
    tenant_id  TEXT NOT NULL,
    address    TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    mobile     BOOLEAN NOT NULL DEFAULT FALSE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, address),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_addresses_contact ON contact_addresses (tenant_id, contact_id);

CREATE TABLE contact_terms (
    tenant_id  TEXT NOT NULL,
    term       TEXT COLLATE "C" NOT NULL,
    contact_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, term, contact_id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_terms_contact ON contact_terms (tenant_id, contact_id);

CREATE TABLE users (
    tenant_id              TEXT NOT NULL REFERENCES tenants (id),
    id                     TEXT NOT NULL,
    name                   TEXT NOT NULL,
    role                   TEXT NOT NULL,
    notification_recipient BOOLEAN NOT NULL,
    valid_from             TIMESTAMPTZ,
    valid_to               TIMESTAMPTZ,
    language               TEXT NOT NULL DEFAULT '',
    contact_id             TEXT,
    search                 TEXT NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
);

CREATE TABLE user_org_units (
    tenant_id   TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    org_unit_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, org_unit_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id)
);

CREATE TABLE devices (
    tenant_id     TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    phone         TEXT NOT NULL,
    logged_in_at  TIMESTAMPTZ NOT NULL,
    logged_out_at TIMESTAMPTZ,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX devices_user ON devices (tenant_id, user_id, logged_in_at);

CREATE TABLE contact_links (
    tenant_id   TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    contact_id  TEXT NOT NULL,
    roles       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, object_type, object_id, contact_id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_links_contact ON contact_links (tenant_id, contact_id);

-- +goose Down
DROP TABLE contact_links;
DROP TABLE devices;
DROP TABLE user_org_units;
DROP TABLE users;
DROP TABLE contact_terms;
DROP TABLE contact_addresses;
DROP TABLE contacts;
DROP TABLE places;
DROP TABLE contracts;
DROP TABLE customers;
DROP TABLE org_units;
DROP TABLE api_keys;
DROP TABLE tenants;
