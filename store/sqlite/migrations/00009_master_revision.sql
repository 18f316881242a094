-- +goose Up
-- master_revisions counts, per tenant, the changes to the master data that
-- planning an event reads: the tenant itself, its org units, customers,
-- contracts, places, users (with their org units and devices), contacts
-- (with their addresses and links) and links with their messages.
-- Triggers move it in the writing transaction, whoever writes (Avisera or
-- a person at the SQL prompt). The engine reads it before it plans an
-- event and reuses what earlier events of the tenant read while it is
-- unchanged. A tenant without a row has revision 0.
CREATE TABLE master_revisions (
    tenant_id TEXT PRIMARY KEY,
    n         BIGINT NOT NULL
);

-- SQLite's single writer makes the order of locks moot: row triggers. (No
-- INSERT OR IGNORE: an upsert around the trigger would override it.)
-- +goose StatementBegin
CREATE TRIGGER tenants_insert_revision AFTER INSERT ON tenants
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenants_update_revision AFTER UPDATE ON tenants
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenants_delete_revision AFTER DELETE ON tenants
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_units_insert_revision AFTER INSERT ON org_units
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_units_update_revision AFTER UPDATE ON org_units
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_units_delete_revision AFTER DELETE ON org_units
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER customers_insert_revision AFTER INSERT ON customers
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER customers_update_revision AFTER UPDATE ON customers
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER customers_delete_revision AFTER DELETE ON customers
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_insert_revision AFTER INSERT ON contracts
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_update_revision AFTER UPDATE ON contracts
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_delete_revision AFTER DELETE ON contracts
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER places_insert_revision AFTER INSERT ON places
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER places_update_revision AFTER UPDATE ON places
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER places_delete_revision AFTER DELETE ON places
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_insert_revision AFTER INSERT ON users
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_update_revision AFTER UPDATE ON users
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_delete_revision AFTER DELETE ON users
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_org_units_insert_revision AFTER INSERT ON user_org_units
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_org_units_update_revision AFTER UPDATE ON user_org_units
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_org_units_delete_revision AFTER DELETE ON user_org_units
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER devices_insert_revision AFTER INSERT ON devices
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER devices_update_revision AFTER UPDATE ON devices
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER devices_delete_revision AFTER DELETE ON devices
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_insert_revision AFTER INSERT ON contacts
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_update_revision AFTER UPDATE ON contacts
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_delete_revision AFTER DELETE ON contacts
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_addresses_insert_revision AFTER INSERT ON contact_addresses
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_addresses_update_revision AFTER UPDATE ON contact_addresses
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_addresses_delete_revision AFTER DELETE ON contact_addresses
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_links_insert_revision AFTER INSERT ON contact_links
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_links_update_revision AFTER UPDATE ON contact_links
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_links_delete_revision AFTER DELETE ON contact_links
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER messages_insert_revision AFTER INSERT ON messages
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER messages_update_revision AFTER UPDATE ON messages
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER messages_delete_revision AFTER DELETE ON messages
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER links_insert_revision AFTER INSERT ON links
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER links_update_revision AFTER UPDATE ON links
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT NEW.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = NEW.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = NEW.tenant_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER links_delete_revision AFTER DELETE ON links
BEGIN
    INSERT INTO master_revisions (tenant_id, n) SELECT OLD.tenant_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM master_revisions WHERE tenant_id = OLD.tenant_id);
    UPDATE master_revisions SET n = n + 1 WHERE tenant_id = OLD.tenant_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER tenants_insert_revision;
DROP TRIGGER tenants_update_revision;
DROP TRIGGER tenants_delete_revision;
DROP TRIGGER org_units_insert_revision;
DROP TRIGGER org_units_update_revision;
DROP TRIGGER org_units_delete_revision;
DROP TRIGGER customers_insert_revision;
DROP TRIGGER customers_update_revision;
DROP TRIGGER customers_delete_revision;
DROP TRIGGER contracts_insert_revision;
DROP TRIGGER contracts_update_revision;
DROP TRIGGER contracts_delete_revision;
DROP TRIGGER places_insert_revision;
DROP TRIGGER places_update_revision;
DROP TRIGGER places_delete_revision;
DROP TRIGGER users_insert_revision;
DROP TRIGGER users_update_revision;
DROP TRIGGER users_delete_revision;
DROP TRIGGER user_org_units_insert_revision;
DROP TRIGGER user_org_units_update_revision;
DROP TRIGGER user_org_units_delete_revision;
DROP TRIGGER devices_insert_revision;
DROP TRIGGER devices_update_revision;
DROP TRIGGER devices_delete_revision;
DROP TRIGGER contacts_insert_revision;
DROP TRIGGER contacts_update_revision;
DROP TRIGGER contacts_delete_revision;
DROP TRIGGER contact_addresses_insert_revision;
DROP TRIGGER contact_addresses_update_revision;
DROP TRIGGER contact_addresses_delete_revision;
DROP TRIGGER contact_links_insert_revision;
DROP TRIGGER contact_links_update_revision;
DROP TRIGGER contact_links_delete_revision;
DROP TRIGGER messages_insert_revision;
DROP TRIGGER messages_update_revision;
DROP TRIGGER messages_delete_revision;
DROP TRIGGER links_insert_revision;
DROP TRIGGER links_update_revision;
DROP TRIGGER links_delete_revision;
DROP TABLE master_revisions;
