-- Merge of duplicate records with undo, and archiving of dead records (docs/merge.md).

-- Archived records (purge) stay in the base but leave lists, search and 360° views by default;
-- restoring clears archived_at. A contact whose e-mail bounced carries the bounce date.
ALTER TABLE contacts ADD COLUMN archived_at TEXT;
ALTER TABLE accounts ADD COLUMN archived_at TEXT;
ALTER TABLE households ADD COLUMN archived_at TEXT;
ALTER TABLE contacts ADD COLUMN email_bounced_at TEXT;
CREATE INDEX contacts_archived ON contacts(archived_at);
CREATE INDEX accounts_archived ON accounts(archived_at);
CREATE INDEX households_archived ON households(archived_at);

-- One row per merge: what was merged into what, by which rules, and the journal that undo
-- replays backwards (the survivor's previous row, the absorbed rows as stored, the ids of every
-- row moved to the survivor, the shares). JSON text.
CREATE TABLE merges (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  survivor_id INTEGER NOT NULL,
  absorbed_ids TEXT NOT NULL,
  rules TEXT NOT NULL,
  journal TEXT NOT NULL,
  user_id INTEGER,
  merged_at TEXT NOT NULL,
  undone_at TEXT,
  undone_by INTEGER
);
CREATE INDEX merges_entity ON merges(entity, id);
CREATE INDEX merges_survivor ON merges(entity, survivor_id);

-- The ids and external ids of absorbed records, so that old links and re-imports resolve to
-- the survivor. Removed by undo.
CREATE TABLE record_aliases (
  entity TEXT NOT NULL,
  alias_id INTEGER NOT NULL,
  external_id TEXT,
  survivor_id INTEGER NOT NULL,
  merge_id INTEGER NOT NULL REFERENCES merges(id) ON DELETE CASCADE,
  PRIMARY KEY (entity, alias_id)
);
CREATE INDEX record_aliases_external ON record_aliases(entity, external_id);
