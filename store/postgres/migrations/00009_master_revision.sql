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
    n  BIGINT NOT NULL
);
INSERT INTO master_revision (id, n) VALUES (1, 0);

-- The bump comes before a statement touches a row: every transaction
-- that changes master data takes the revision's row lock before any other
-- row lock of master data, so writers queue up in one order and cannot
-- deadlock one another. One bump per transaction is enough (a flag local
-- to the transaction remembers it); one per statement would pile up row
-- versions that a long import would walk again at every statement.
-- +goose StatementBegin
CREATE FUNCTION bump_master_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('avisera.master_bumped', true) IS DISTINCT FROM 'on' THEN
        UPDATE master_revision SET n = n + 1 WHERE id = 1;
        PERFORM set_config('avisera.master_bumped', 'on', true);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER tenants_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER org_units_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_units
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER customers_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER contracts_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON contracts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER places_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON places
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER users_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER user_org_units_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_org_units
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER devices_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON devices
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER contacts_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER contact_addresses_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON contact_addresses
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER contact_links_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON contact_links
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER messages_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON messages
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();
CREATE TRIGGER links_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON links
    FOR EACH STATEMENT EXECUTE FUNCTION bump_master_revision();

-- +goose Down
DROP TRIGGER tenants_revision ON tenants;
DROP TRIGGER org_units_revision ON org_units;
DROP TRIGGER customers_revision ON customers;
DROP TRIGGER contracts_revision ON contracts;
DROP TRIGGER places_revision ON places;
DROP TRIGGER users_revision ON users;
DROP TRIGGER user_org_units_revision ON user_org_units;
DROP TRIGGER devices_revision ON devices;
DROP TRIGGER contacts_revision ON contacts;
DROP TRIGGER contact_addresses_revision ON contact_addresses;
DROP TRIGGER contact_links_revision ON contact_links;
DROP TRIGGER messages_revision ON messages;
DROP TRIGGER links_revision ON links;
DROP FUNCTION bump_master_revision();
DROP TABLE master_revision;
