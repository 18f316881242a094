-- +goose Up
-- Events and deliveries are written only by the engine, an event and its
-- deliveries in one transaction, and never deleted one without the other.
-- Their foreign keys cost a locking lookup per row (on a busy tenant many
-- transactions share-lock the same tenant row at once, which PostgreSQL
-- records as ever new multixacts), so the engine keeps these two itself;
-- the tables of master data keep theirs.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_tenant_id_event_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_tenant_id_fkey;

-- A delivery's row is updated as it is sent, without touching an indexed
-- column (its Message-ID is chosen when it is planned); room left on each
-- page lets PostgreSQL keep the new version on the same page and skip
-- the indexes (a HOT update).
ALTER TABLE deliveries SET (fillfactor = 50);

-- +goose Down
ALTER TABLE deliveries RESET (fillfactor);
ALTER TABLE events ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE deliveries ADD FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id);
