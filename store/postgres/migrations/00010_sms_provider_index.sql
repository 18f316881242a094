-- +goose Up
-- Only SMS deliveries are looked up by the provider's message id: an
-- email's Message-ID carries its delivery's id (<delivery id@domain>),
-- which finds it by primary key. Every delivery paid for an entry here.
DROP INDEX deliveries_provider;
CREATE INDEX deliveries_provider ON deliveries (tenant_id, provider_id) WHERE channel = 'sms';

-- +goose Down
DROP INDEX deliveries_provider;
CREATE INDEX deliveries_provider ON deliveries (tenant_id, provider_id);
