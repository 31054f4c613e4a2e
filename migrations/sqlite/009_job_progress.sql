-- Jobs started by a user (docs/jobs.md "Jobs started by users"): who started it, the progress the
-- handler reports while it runs and the result it leaves, both JSON text; and active_key, which
-- lets only one job per key be queued or running at a time (e.g. one duplicate scan per entity),
-- unlike unique_key which is never reused.
ALTER TABLE jobs ADD COLUMN created_by INTEGER;
ALTER TABLE jobs ADD COLUMN progress TEXT;
ALTER TABLE jobs ADD COLUMN result TEXT;
ALTER TABLE jobs ADD COLUMN active_key TEXT;
CREATE UNIQUE INDEX jobs_active_key ON jobs(active_key) WHERE status IN ('queued', 'running');
