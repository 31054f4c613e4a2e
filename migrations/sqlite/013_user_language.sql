-- The language a user reads Gazelle in (messages, labels): 'fr' or 'en'; NULL = the browser's
-- (Accept-Language). Set by the user (PATCH /api/v1/me) or an admin.
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('fr', 'en'));
