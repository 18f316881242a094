-- +goose Up
-- A user's own contact is found from the contact: who owns it (one user at
-- most), whose device its SMS follow.
CREATE INDEX users_contact ON users (tenant_id, contact_id);

-- +goose Down
DROP INDEX users_contact;
