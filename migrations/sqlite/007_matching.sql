-- Duplicate detection (docs/duplicates.md): the fields matching needs on contacts, and the
-- result of the last scan per entity (clusters, their members, the scored pairs with the
-- per-field explanation) that the review queue and the merge page read.

-- A person's birth date, region/state/département, and identifiers from other systems or
-- authorities ({"customer_no": "C-1234", "social_security": "…"}): strong matching evidence.
ALTER TABLE contacts ADD COLUMN birth_date TEXT;
ALTER TABLE contacts ADD COLUMN region TEXT;
ALTER TABLE contacts ADD COLUMN identifiers TEXT NOT NULL DEFAULT '{}';
CREATE INDEX contacts_birth_date ON contacts(birth_date);

-- One row per scan: parameters and the weights estimated by EM (JSON), for the explanation.
CREATE TABLE duplicate_scans (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  records INTEGER NOT NULL,
  candidate_pairs INTEGER NOT NULL,
  clusters INTEGER NOT NULL,
  threshold_upper REAL NOT NULL,
  threshold_lower REAL NOT NULL,
  model TEXT NOT NULL DEFAULT '{}',
  seconds REAL NOT NULL DEFAULT 0,
  user_id INTEGER,
  created_at TEXT NOT NULL
);
CREATE INDEX duplicate_scans_entity ON duplicate_scans(entity, id);

-- A cluster: proposed (every link above the upper threshold: automatic merge proposed),
-- review (some link between the thresholds), dismissed (a person said "not duplicates"),
-- merged (the merge helper closed it).
CREATE TABLE duplicate_clusters (
  id INTEGER PRIMARY KEY,
  scan_id INTEGER NOT NULL REFERENCES duplicate_scans(id) ON DELETE CASCADE,
  entity TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed','review','dismissed','merged')),
  size INTEGER NOT NULL,
  best_score REAL NOT NULL,
  created_at TEXT NOT NULL,
  decided_at TEXT,
  decided_by INTEGER
);
CREATE INDEX duplicate_clusters_status ON duplicate_clusters(entity, status, best_score);

-- score: the best pair score linking the record into its cluster.
CREATE TABLE duplicate_members (
  cluster_id INTEGER NOT NULL REFERENCES duplicate_clusters(id) ON DELETE CASCADE,
  record_id INTEGER NOT NULL,
  score REAL NOT NULL,
  PRIMARY KEY (cluster_id, record_id)
);
CREATE INDEX duplicate_members_record ON duplicate_members(record_id);

-- Scored pairs inside a cluster (record_a < record_b); explanation: JSON array of
-- {field, a, b, level, weight}.
CREATE TABLE duplicate_pairs (
  cluster_id INTEGER NOT NULL REFERENCES duplicate_clusters(id) ON DELETE CASCADE,
  record_a INTEGER NOT NULL,
  record_b INTEGER NOT NULL,
  score REAL NOT NULL,
  explanation TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (cluster_id, record_a, record_b)
);

-- Pairs a person declared distinct: later scans and the entry check leave them out.
CREATE TABLE duplicate_dismissals (
  entity TEXT NOT NULL,
  record_a INTEGER NOT NULL,
  record_b INTEGER NOT NULL,
  user_id INTEGER,
  dismissed_at TEXT NOT NULL,
  PRIMARY KEY (entity, record_a, record_b)
);
