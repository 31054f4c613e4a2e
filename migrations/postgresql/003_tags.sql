-- Tags: free labels on customers for grouping and bulk work (JSON array of folded strings).
ALTER TABLE accounts ADD COLUMN tags TEXT COLLATE "C" NOT NULL DEFAULT '[]';
ALTER TABLE households ADD COLUMN tags TEXT COLLATE "C" NOT NULL DEFAULT '[]';
ALTER TABLE contacts ADD COLUMN tags TEXT COLLATE "C" NOT NULL DEFAULT '[]';
