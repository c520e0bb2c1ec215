import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Artifact } from '../evaluation/evaluator.js';
import { truncateFailureMessage, type FailureReason } from '../evaluation/failure.js';
import type { TellStatus } from '../strategy/strategy.js';
import type {
  CandidateRecord,
  Checkpoint,
  GenerationStats,
  LLMCallRecord,
  RunManifest,
} from './records.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';
import { ScheduleJournal } from './schedule-journal.js';

const DB_FILE = 'run.db';

interface CandidateRow {
  id: string;
  generation: number;
  idx: number;
  operator: string;
  parents: string;
  prompt_id: number | null;
  temperature: number | null;
  code: string | null;
  ok: number;
  failure_reason: string | null;
  failure_message: string | null;
  fitness: number | null;
  descriptors: string | null;
  metrics: string | null;
  info: string | null;
  status: string | null;
  evaluation_ms: number | null;
}

interface LLMCallRow {
  candidate_id: string;
  generation: number;
  prompt_id: number | null;
  provider: string;
  model: string;
  request: string;
  reply: string | null;
  temperature: number;
  prompt_tokens: number;
  completion_tokens: number;
  latency_ms: number;
  constrained: number;
  error: string | null;
}

const parseJson = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function toCandidate(row: CandidateRow): CandidateRecord {
  return {
    id: row.id,
    generation: row.generation,
    index: row.idx,
    operator: row.operator as CandidateRecord['operator'],
    parents: JSON.parse(row.parents) as string[],
    promptId: row.prompt_id,
    temperature: row.temperature,
    code: row.code,
    ok: row.ok === 1,
    failureReason: row.failure_reason as FailureReason | null,
    failureMessage: row.failure_message,
    fitness: row.fitness,
    descriptors: parseJson<number[]>(row.descriptors),
    metrics: parseJson<Record<string, number>>(row.metrics),
    info: parseJson<Record<string, string>>(row.info),
    status: row.status as TellStatus | null,
    evaluationMs: row.evaluation_ms,
  };
}

function toLLMCall(row: LLMCallRow): LLMCallRecord {
  return {
    candidateId: row.candidate_id,
    generation: row.generation,
    promptId: row.prompt_id,
    provider: row.provider,
    model: row.model,
    request: JSON.parse(row.request) as unknown,
    reply: row.reply,
    temperature: row.temperature,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    latencyMs: row.latency_ms,
    constrained: row.constrained === 1,
    error: row.error,
  };
}

/**
 * A run folder: `run.db` (SQLite in WAL mode: every LLM call, every candidate, a checkpoint per
 * generation), `summary.json`, and `artifacts/<candidate>/` for elites' trained weights.
 * Every write is its own transaction, so `kill -9` loses nothing that finished.
 */
export class RunStore {
  private constructor(
    readonly dir: string,
    private readonly db: Database.Database,
  ) {}

  /** Creates a new run folder; refuses to overwrite an existing run. */
  static create(dir: string, manifest: RunManifest): RunStore {
    if (existsSync(join(dir, DB_FILE))) {
      throw new Error(
        `${dir} already holds a run. Continue it with \`llmatic resume ${dir}\`, or choose another --out folder.`,
      );
    }
    mkdirSync(dir, { recursive: true });
    const store = new RunStore(dir, RunStore.connect(join(dir, DB_FILE), false));
    store.db.exec(SCHEMA);
    const insert = store.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    store.db.transaction(() => {
      insert.run('schemaVersion', String(SCHEMA_VERSION));
      insert.run('manifest', JSON.stringify(manifest));
    })();
    return store;
  }

  /**
   * Opens an existing run. `readonly` opens it for reading while another process may be writing
   * (reports of a live run).
   */
  static open(dir: string, options: { readonly?: boolean } = {}): RunStore {
    const file = join(dir, DB_FILE);
    if (!existsSync(file)) {
      throw new Error(`${dir} is not a run folder (no ${DB_FILE}). Pass the folder that \`llmatic run\` wrote (its --out).`);
    }
    const store = new RunStore(dir, RunStore.connect(file, options.readonly ?? false));
    const version = store.meta('schemaVersion');
    if (version !== String(SCHEMA_VERSION)) {
      throw new Error(`${file} has schema version ${version ?? 'none'}; this llmatic reads version ${SCHEMA_VERSION}.`);
    }
    return store;
  }

  private static connect(file: string, readonly: boolean): Database.Database {
    const db = new Database(file, { readonly, fileMustExist: readonly });
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a committed transaction survives a killed process (kill -9); only
      // an OS crash or power loss may drop the last ones. FULL would fsync every candidate.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('busy_timeout = 5000');
    return db;
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared statements are cached: preparing costs more than running most of them. */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private meta(key: string): string | undefined {
    const row = this.statement('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  manifest(): RunManifest {
    const text = this.meta('manifest');
    if (!text) throw new Error(`${this.dir}: the run database has no manifest; it is damaged.`);
    return JSON.parse(text) as RunManifest;
  }

  updateManifest(manifest: RunManifest): void {
    this.statement('UPDATE meta SET value = ? WHERE key = ?').run(JSON.stringify(manifest), 'manifest');
  }

  /** Records an LLM call; its error text is cut to a few KB (see truncateFailureMessage). */
  recordLLMCall(call: LLMCallRecord): void {
    this.statement(
        `INSERT INTO llm_calls (candidate_id, generation, prompt_id, provider, model, request, reply, temperature,
          prompt_tokens, completion_tokens, latency_ms, constrained, error, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        call.candidateId,
        call.generation,
        call.promptId,
        call.provider,
        call.model,
        JSON.stringify(call.request),
        call.reply,
        call.temperature,
        call.promptTokens,
        call.completionTokens,
        call.latencyMs,
        call.constrained ? 1 : 0,
        call.error === null ? null : truncateFailureMessage(call.error),
        new Date().toISOString(),
      );
  }

  /** The successful LLM reply already obtained for a candidate (reused on resume). */
  replyFor(candidateId: string): LLMCallRecord | undefined {
    const row = this.statement('SELECT * FROM llm_calls WHERE candidate_id = ? AND reply IS NOT NULL ORDER BY id DESC LIMIT 1')
      .get(candidateId) as LLMCallRow | undefined;
    return row ? toLLMCall(row) : undefined;
  }

  llmCalls(): LLMCallRecord[] {
    return (this.statement('SELECT * FROM llm_calls ORDER BY id').all() as LLMCallRow[]).map(toLLMCall);
  }

  /**
   * Records a candidate. Every path (evaluation, extraction, LLM, queue) ends here, so this is
   * where untrusted failure text is cut to a few KB before the store and the reports keep it.
   */
  recordCandidate(c: CandidateRecord): void {
    this.statement(
        `INSERT OR REPLACE INTO candidates (id, generation, idx, operator, parents, prompt_id, temperature, code, ok,
          failure_reason, failure_message, fitness, descriptors, metrics, info, status, evaluation_ms, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.id,
        c.generation,
        c.index,
        c.operator,
        JSON.stringify(c.parents),
        c.promptId,
        c.temperature,
        c.code,
        c.ok ? 1 : 0,
        c.failureReason,
        c.failureMessage === null ? null : truncateFailureMessage(c.failureMessage),
        c.fitness,
        c.descriptors && JSON.stringify(c.descriptors),
        c.metrics && JSON.stringify(c.metrics),
        c.info && JSON.stringify(c.info),
        c.status,
        c.evaluationMs,
        new Date().toISOString(),
      );
  }

  candidate(id: string): CandidateRecord | undefined {
    const row = this.statement('SELECT * FROM candidates WHERE id = ?').get(id) as CandidateRow | undefined;
    return row ? toCandidate(row) : undefined;
  }

  /** Candidates in generation and index order (the seed first). */
  candidates(): CandidateRecord[] {
    return (this.statement('SELECT * FROM candidates ORDER BY generation, idx').all() as CandidateRow[]).map(toCandidate);
  }

  /** Writes a generation's checkpoint and its offspring's archive fates in one transaction. */
  saveCheckpoint(checkpoint: Checkpoint, statuses: readonly { id: string; status: TellStatus }[]): void {
    const setStatus = this.statement('UPDATE candidates SET status = ? WHERE id = ?');
    const insert = this.statement(
      'INSERT OR REPLACE INTO checkpoints (generation, strategy, result_archive, stats, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const { id, status } of statuses) setStatus.run(status, id);
      insert.run(
        checkpoint.generation,
        JSON.stringify(checkpoint.strategy),
        JSON.stringify(checkpoint.resultArchive),
        JSON.stringify(checkpoint.stats),
        new Date().toISOString(),
      );
    })();
  }

  lastCheckpoint(): Checkpoint | undefined {
    const row = this.statement('SELECT * FROM checkpoints ORDER BY generation DESC LIMIT 1')
      .get() as { generation: number; strategy: string; result_archive: string; stats: string } | undefined;
    if (!row) return undefined;
    return {
      generation: row.generation,
      strategy: JSON.parse(row.strategy) as unknown,
      resultArchive: JSON.parse(row.result_archive) as unknown,
      stats: JSON.parse(row.stats) as GenerationStats,
    };
  }

  /** Per-generation numbers, oldest first (the seed's checkpoint is generation -1). */
  generationStats(): GenerationStats[] {
    const rows = this.statement('SELECT stats FROM checkpoints ORDER BY generation').all() as { stats: string }[];
    return rows.map((row) => JSON.parse(row.stats) as GenerationStats);
  }

  /** The result archive as it was after `generation` (for maps per generation). */
  archiveAt(generation: number): unknown {
    const row = this.statement('SELECT result_archive FROM checkpoints WHERE generation = ?').get(generation) as
      | { result_archive: string }
      | undefined;
    return row ? (JSON.parse(row.result_archive) as unknown) : undefined;
  }

  /** The strategy's state after `generation`. */
  strategyAt(generation: number): unknown {
    const row = this.statement('SELECT strategy FROM checkpoints WHERE generation = ?').get(generation) as
      | { strategy: string }
      | undefined;
    return row ? (JSON.parse(row.strategy) as unknown) : undefined;
  }

  tokenTotals(): { promptTokens: number; completionTokens: number; calls: number } {
    const row = this.statement(
        'SELECT COALESCE(SUM(prompt_tokens),0) AS p, COALESCE(SUM(completion_tokens),0) AS c, COUNT(*) AS n FROM llm_calls',
      )
      .get() as { p: number; c: number; n: number };
    return { promptTokens: row.p, completionTokens: row.c, calls: row.n };
  }

  /** LLM use by model (failed calls included), for budgets and reports. */
  usageByModel(): { model: string; calls: number; promptTokens: number; completionTokens: number }[] {
    return this.statement(
      `SELECT model, COUNT(*) AS calls, COALESCE(SUM(prompt_tokens),0) AS promptTokens,
        COALESCE(SUM(completion_tokens),0) AS completionTokens FROM llm_calls GROUP BY model ORDER BY model`,
    ).all() as { model: string; calls: number; promptTokens: number; completionTokens: number }[];
  }

  /** LLM use by mutation prompt id (`null`: crossover and other calls without a prompt individual). */
  usageByPrompt(): { promptId: number | null; calls: number; promptTokens: number; completionTokens: number }[] {
    return this.statement(
      `SELECT prompt_id AS promptId, COUNT(*) AS calls, COALESCE(SUM(prompt_tokens),0) AS promptTokens,
        COALESCE(SUM(completion_tokens),0) AS completionTokens FROM llm_calls GROUP BY prompt_id ORDER BY prompt_id`,
    ).all() as { promptId: number | null; calls: number; promptTokens: number; completionTokens: number }[];
  }

  /** Offspring evaluated (failures included; the seed excluded) and failure counts by reason. */
  evaluationCounts(): { evaluations: number; failures: Partial<Record<FailureReason, number>> } {
    const total = this.statement('SELECT COUNT(*) AS n FROM candidates WHERE generation >= 0').get() as { n: number };
    const rows = this.statement(
        'SELECT failure_reason AS reason, COUNT(*) AS n FROM candidates WHERE generation >= 0 AND ok = 0 GROUP BY failure_reason',
      )
      .all() as { reason: FailureReason; n: number }[];
    const failures: Partial<Record<FailureReason, number>> = {};
    for (const row of rows) failures[row.reason] = row.n;
    return { evaluations: total.n, failures };
  }

  artifactDir(candidateId: string): string {
    return join(this.dir, 'artifacts', candidateId);
  }

  /** Writes a candidate's artifacts atomically (to a temporary folder, then renamed). */
  writeArtifacts(candidateId: string, artifacts: readonly Artifact[]): void {
    if (artifacts.length === 0) return;
    const target = this.artifactDir(candidateId);
    const temporary = `${target}.partial`;
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary, { recursive: true });
    for (const artifact of artifacts) writeFileSync(join(temporary, artifact.name), artifact.data);
    rmSync(target, { recursive: true, force: true });
    renameSync(temporary, target);
  }

  /** Deletes artifacts of candidates that are no longer elites. */
  pruneArtifacts(keep: ReadonlySet<string>): void {
    const root = join(this.dir, 'artifacts');
    if (!existsSync(root)) return;
    for (const name of readdirSync(root)) {
      if (!keep.has(name)) rmSync(join(root, name), { recursive: true, force: true });
    }
  }

  writeSummary(summary: unknown): void {
    const file = join(this.dir, 'summary.json');
    writeFileSync(`${file}.tmp`, `${JSON.stringify(summary, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }

  private journal: ScheduleJournal | undefined;

  /** The steady-state schedule's journal (created on first use; needs a writable store). */
  scheduleJournal(): ScheduleJournal {
    this.journal ??= new ScheduleJournal(this.db);
    return this.journal;
  }

  close(): void {
    this.db.close();
  }
}
