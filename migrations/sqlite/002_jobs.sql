-- Background jobs (docs/jobs.md) and the notifications they write for users.
-- Times are UTC ISO 8601 text "YYYY-MM-DDTHH:MM:SSZ", second precision, so they sort as they read.

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','failed','dead')),
  run_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 5,
  locked_by TEXT,
  locked_until TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finished_at TEXT,
  unique_key TEXT UNIQUE
);
-- Claiming: the due jobs of a status in run_at order; also finds running jobs by lease end.
CREATE INDEX jobs_claim ON jobs(status, run_at);
CREATE INDEX jobs_lease ON jobs(status, locked_until);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT,
  related_entity TEXT,
  related_id INTEGER,
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, id);

-- Task reminders sent: one row per task and due date, so that a task is reminded once however
-- many workers run the reminder job, and again when it is moved to a new due date.
CREATE TABLE task_reminders (
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  due_at TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  notification_id INTEGER REFERENCES notifications(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (task_id, due_at)
);
