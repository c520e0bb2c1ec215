/** The run database's tables. Version bumps need a migration in `run-store.ts`. */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS llm_calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  candidate_id TEXT NOT NULL,
  generation INTEGER NOT NULL,
  prompt_id INTEGER,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  request TEXT NOT NULL,
  reply TEXT,
  temperature REAL NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  constrained INTEGER NOT NULL,
  error TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS llm_calls_candidate ON llm_calls(candidate_id);
CREATE TABLE IF NOT EXISTS candidates (
  id TEXT PRIMARY KEY,
  generation INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  operator TEXT NOT NULL,
  parents TEXT NOT NULL,
  prompt_id INTEGER,
  temperature REAL,
  code TEXT,
  ok INTEGER NOT NULL,
  failure_reason TEXT,
  failure_message TEXT,
  fitness REAL,
  descriptors TEXT,
  metrics TEXT,
  info TEXT,
  status TEXT,
  evaluation_ms REAL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS candidates_generation ON candidates(generation);
CREATE TABLE IF NOT EXISTS checkpoints (
  generation INTEGER PRIMARY KEY,
  strategy TEXT NOT NULL,
  result_archive TEXT NOT NULL,
  stats TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;
