-- +goose Up
-- master_revision counts the changes to the master data that planning an
-- event reads: tenants, org units, customers, contracts, places, users
-- (with their org units and devices), contacts (with their addresses and
-- links) and links with their messages. A trigger bumps it in the writing
-- transaction, whoever writes (Avisera or a person at the SQL prompt). The
-- engine reads it before it plans an event and reuses what earlier events
-- read while it is unchanged.
CREATE TABLE master_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO master_revision (id, n) VALUES (1, 0);

-- SQLite has row triggers only; its single writer needs no lock order.
-- +goose StatementBegin
CREATE TRIGGER tenants_insert_revision AFTER INSERT ON tenants
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenants_update_revision AFTER UPDATE ON tenants
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenants_delete_revision AFTER DELETE ON tenants
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_units_insert_revision AFTER INSERT ON org_units
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_units_update_revision AFTER UPDATE ON org_units
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_units_delete_revision AFTER DELETE ON org_units
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER customers_insert_revision AFTER INSERT ON customers
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER customers_update_revision AFTER UPDATE ON customers
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER customers_delete_revision AFTER DELETE ON customers
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_insert_revision AFTER INSERT ON contracts
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_update_revision AFTER UPDATE ON contracts
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_delete_revision AFTER DELETE ON contracts
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER places_insert_revision AFTER INSERT ON places
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER places_update_revision AFTER UPDATE ON places
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER places_delete_revision AFTER DELETE ON places
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_insert_revision AFTER INSERT ON users
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_update_revision AFTER UPDATE ON users
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_delete_revision AFTER DELETE ON users
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_org_units_insert_revision AFTER INSERT ON user_org_units
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_org_units_update_revision AFTER UPDATE ON user_org_units
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_org_units_delete_revision AFTER DELETE ON user_org_units
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER devices_insert_revision AFTER INSERT ON devices
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER devices_update_revision AFTER UPDATE ON devices
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER devices_delete_revision AFTER DELETE ON devices
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_insert_revision AFTER INSERT ON contacts
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_update_revision AFTER UPDATE ON contacts
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_delete_revision AFTER DELETE ON contacts
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_addresses_insert_revision AFTER INSERT ON contact_addresses
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_addresses_update_revision AFTER UPDATE ON contact_addresses
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_addresses_delete_revision AFTER DELETE ON contact_addresses
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_links_insert_revision AFTER INSERT ON contact_links
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_links_update_revision AFTER UPDATE ON contact_links
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contact_links_delete_revision AFTER DELETE ON contact_links
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER messages_insert_revision AFTER INSERT ON messages
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER messages_update_revision AFTER UPDATE ON messages
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER messages_delete_revision AFTER DELETE ON messages
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER links_insert_revision AFTER INSERT ON links
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER links_update_revision AFTER UPDATE ON links
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER links_delete_revision AFTER DELETE ON links
BEGIN UPDATE master_revision SET n = n + 1 WHERE id = 1; END;
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
DROP TABLE master_revision;
