-- Imports (docs/import.md): named column mappings, and one row per import run with its progress
-- and its checkpoint, so that a killed import is resumed where its last batch committed.
-- Times are UTC ISO 8601 text "YYYY-MM-DDTHH:MM:SSZ".

CREATE TABLE import_mappings (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  entity TEXT NOT NULL,
  -- {"columns": {file column: field or "-"}, "constants": {field: value}, "options": {...}}
  mapping TEXT NOT NULL DEFAULT '{}',
  created_by INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (entity, name)
);

CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  file_name TEXT NOT NULL,
  -- SHA-256 of the file: an unfinished run of the same file, entity and mapping is resumed.
  file_hash TEXT NOT NULL,
  file_bytes INTEGER NOT NULL DEFAULT 0,
  sheet TEXT,
  mapping TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('queued','running','done','failed')),
  -- Checkpoint: the last file line whose batch is committed (0: none), written in that batch's
  -- transaction, with the counts up to it.
  last_line INTEGER NOT NULL DEFAULT 0,
  rows_done INTEGER NOT NULL DEFAULT 0,
  bytes_done INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  warnings INTEGER NOT NULL DEFAULT 0,
  report TEXT NOT NULL DEFAULT '{}',
  rejects_path TEXT,
  error TEXT,
  created_by INTEGER,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX import_runs_file ON import_runs(file_hash, entity, status);
CREATE INDEX import_runs_started ON import_runs(started_at, id);
