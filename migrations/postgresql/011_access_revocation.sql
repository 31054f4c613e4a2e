-- Revocable access (docs/api.md, "How to revoke"): API tokens may carry an expiry, and listing a
-- user's tokens (their owner's page, an admin's) reads them by user.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT COLLATE "C";
CREATE INDEX api_tokens_user ON api_tokens(user_id NULLS FIRST);
-- When the password was last set: shown to the user and to admins.
ALTER TABLE users ADD COLUMN password_changed_at TEXT COLLATE "C";
