-- 0001_initial: the first drctl state schema.
-- Applied by src/state/migrations.cc inside one transaction; it must not contain
-- BEGIN/COMMIT itself. The schema_migrations table is created by the binary, not here.

-- One row: what identifies this state and how many changes it has seen.
CREATE TABLE meta (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  format_version INTEGER NOT NULL DEFAULT 0,
  lineage        TEXT    NOT NULL,
  serial         INTEGER NOT NULL DEFAULT 0 CHECK (serial >= 0),
  created_at     TEXT    NOT NULL
);

-- What drctl manages. JSON columns hold the serialized attribute objects.
CREATE TABLE resources (
  address      TEXT PRIMARY KEY NOT NULL,
  type         TEXT NOT NULL,
  region       TEXT NOT NULL DEFAULT '',
  cloud_id     TEXT NOT NULL DEFAULT '',
  desired      TEXT NOT NULL DEFAULT 'null',
  last_applied TEXT NOT NULL DEFAULT 'null',
  live         TEXT NOT NULL DEFAULT 'null',
  read_at      TEXT NOT NULL DEFAULT '',
  workload     TEXT NOT NULL DEFAULT '',
  depends_on   TEXT NOT NULL DEFAULT '[]',
  updated_at   TEXT NOT NULL DEFAULT ''
);

-- At most one row: the writer that holds the state.
CREATE TABLE lock (
  one       INTEGER PRIMARY KEY CHECK (one = 1),
  id        TEXT    NOT NULL,
  holder    TEXT    NOT NULL,
  host      TEXT    NOT NULL,
  pid       INTEGER NOT NULL,
  operation TEXT    NOT NULL,
  since     TEXT    NOT NULL
);

CREATE TABLE runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT NOT NULL DEFAULT '',
  outcome     TEXT NOT NULL DEFAULT 'running',
  plan_hash   TEXT NOT NULL DEFAULT '',
  detail      TEXT NOT NULL DEFAULT '{}'
);

-- Append-only: an intent row before a mutating call, then one outcome row
-- (done | failed, or settled when a later run resolved it by reading live state).
CREATE TABLE journal (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id     INTEGER NOT NULL REFERENCES runs (id),
  seq        INTEGER NOT NULL CHECK (seq > 0),
  address    TEXT    NOT NULL,
  action     TEXT    NOT NULL,
  phase      TEXT    NOT NULL CHECK (phase IN ('intent', 'done', 'failed', 'settled')),
  request_id TEXT    NOT NULL DEFAULT '',
  detail     TEXT    NOT NULL DEFAULT '',
  at         TEXT    NOT NULL
);
-- One intent and at most one outcome per (run, seq).
CREATE UNIQUE INDEX journal_intent_once ON journal (run_id, seq) WHERE phase = 'intent';
CREATE UNIQUE INDEX journal_outcome_once ON journal (run_id, seq) WHERE phase <> 'intent';
CREATE INDEX journal_by_run ON journal (run_id, seq, id);
