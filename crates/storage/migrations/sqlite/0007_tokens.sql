-- API tokens expire. The lifetime is set when a token is created (configurable, 90 days by
-- default); tokens made before this column existed get 90 days from their creation. A NULL
-- (a row restored from a backup of the earlier schema) counts as created_at plus the lifetime
-- in force.
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
UPDATE api_tokens SET expires_at = created_at + 7776000;
