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

-- The bump runs when the transaction commits (a deferred constraint
-- trigger), after all its other work: a writer holds the tenant's
-- revision row only for the moment of its commit, and never waits for a
-- row of master data while holding it, so writers cannot deadlock over it
-- and parallel imports of one tenant overlap. One bump per transaction and
-- tenant is enough; a flag local to the transaction remembers it.
-- +goose StatementBegin
CREATE FUNCTION bump_master_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tenant TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        tenant := to_jsonb(OLD) ->> TG_ARGV[0];
    ELSE
        tenant := to_jsonb(NEW) ->> TG_ARGV[0];
    END IF;
    IF current_setting('avisera.master_bumped', true) IS DISTINCT FROM tenant THEN
        INSERT INTO master_revisions (tenant_id, n) VALUES (tenant, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET n = master_revisions.n + 1;
        PERFORM set_config('avisera.master_bumped', tenant, true);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER tenants_revision AFTER INSERT OR UPDATE OR DELETE ON tenants
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('id');
CREATE CONSTRAINT TRIGGER org_units_revision AFTER INSERT OR UPDATE OR DELETE ON org_units
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER customers_revision AFTER INSERT OR UPDATE OR DELETE ON customers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER contracts_revision AFTER INSERT OR UPDATE OR DELETE ON contracts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER places_revision AFTER INSERT OR UPDATE OR DELETE ON places
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER users_revision AFTER INSERT OR UPDATE OR DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER user_org_units_revision AFTER INSERT OR UPDATE OR DELETE ON user_org_units
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER devices_revision AFTER INSERT OR UPDATE OR DELETE ON devices
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER contacts_revision AFTER INSERT OR UPDATE OR DELETE ON contacts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER contact_addresses_revision AFTER INSERT OR UPDATE OR DELETE ON contact_addresses
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER contact_links_revision AFTER INSERT OR UPDATE OR DELETE ON contact_links
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER messages_revision AFTER INSERT OR UPDATE OR DELETE ON messages
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');
CREATE CONSTRAINT TRIGGER links_revision AFTER INSERT OR UPDATE OR DELETE ON links
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_master_revision('tenant_id');

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
DROP TABLE master_revisions;
