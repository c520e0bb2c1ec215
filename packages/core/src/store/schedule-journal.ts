import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Proposal } from '../strategy/strategy.js';

/** An offspring asked for but not yet told to the strategy, as a steady-state checkpoint keeps it. */
export interface InFlightOffspring {
  id: string;
  generation: number;
  index: number;
  proposal: Proposal;
}

/** Where a steady-state run stood at a checkpoint. */
export interface SteadyState {
  /** Offspring asked for so far (the next ask is ordinal `asked`: generation `asked / batchSize`). */
  asked: number;
  /** Offspring told so far (a checkpoint falls every `batchSize` of them). */
  told: number;
  /** The last journal event the checkpoint includes. */
  journalSeq: number;
  /** Asked but not told, in ask order: resume produces them again (reusing stored work). */
  inFlight: InFlightOffspring[];
}

/**
 * What a steady-state run did since its last checkpoint, in order: `ask` (offspring `from` ..
 * `from + proposals.length - 1` of `generation`, `offered` slots given to the strategy) and
 * `tell` (these offspring's results, already in the candidates table, were told).
 */
export type ScheduleEvent =
  | { kind: 'ask'; generation: number; from: number; offered: number; proposals: Proposal[] }
  | { kind: 'tell'; ids: string[] };

// Proposals are written by this process; the shape check guards against a damaged file.
const proposalSchema = z.custom<Proposal>(
  (v) => typeof v === 'object' && v !== null && ((v as Proposal).kind === 'llm' || (v as Proposal).kind === 'code'),
  { message: 'expected a proposal' },
);
const eventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ask'),
    generation: z.number().int(),
    from: z.number().int(),
    offered: z.number().int(),
    proposals: z.array(proposalSchema),
  }),
  z.object({ kind: z.literal('tell'), ids: z.array(z.string()) }),
]);
const stateSchema = z.object({
  asked: z.number().int(),
  told: z.number().int(),
  journalSeq: z.number().int(),
  inFlight: z.array(z.object({ id: z.string(), generation: z.number().int(), index: z.number().int(), proposal: proposalSchema })),
});

// Created on first use, so run folders made before steady-state existed work unchanged.
const DDL = `
CREATE TABLE IF NOT EXISTS schedule_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS steady_checkpoints (
  generation INTEGER PRIMARY KEY,
  state TEXT NOT NULL
);
`;

function parse<T>(schema: z.ZodType<T>, text: string, what: string): T {
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`The run database's ${what} is damaged (${parsed.error.issues[0]?.message ?? 'bad shape'}); the run cannot resume in steady-state.`);
  }
  return parsed.data;
}

/**
 * The steady-state schedule's journal in `run.db`: every ask and tell since the last checkpoint,
 * and, with each checkpoint, the offspring that were in flight. Resume replays the journal on
 * the restored strategy, so it continues exactly where the interrupted run was.
 */
export class ScheduleJournal {
  private readonly appendStatement: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec(DDL);
    this.appendStatement = db.prepare('INSERT INTO schedule_events (event) VALUES (?)');
  }

  /** Appends an event (its own transaction, so `kill -9` keeps it); returns its sequence number. */
  append(event: ScheduleEvent): number {
    return Number(this.appendStatement.run(JSON.stringify(event)).lastInsertRowid);
  }

  /** Events after `seq`, oldest first. */
  eventsAfter(seq: number): { seq: number; event: ScheduleEvent }[] {
    const rows = this.db.prepare('SELECT seq, event FROM schedule_events WHERE seq > ? ORDER BY seq').all(seq) as {
      seq: number;
      event: string;
    }[];
    return rows.map((row) => ({ seq: row.seq, event: parse(eventSchema, row.event, `schedule event ${row.seq}`) }));
  }

  /** Whether anything happened since the last steady-state checkpoint. */
  hasEvents(): boolean {
    return this.db.prepare('SELECT 1 FROM schedule_events LIMIT 1').get() !== undefined;
  }

  /** The steady-state position saved with the checkpoint of `generation`, if it was steady-state. */
  stateAt(generation: number): SteadyState | undefined {
    const row = this.db.prepare('SELECT state FROM steady_checkpoints WHERE generation = ?').get(generation) as
      | { state: string }
      | undefined;
    return row ? parse(stateSchema, row.state, `steady-state checkpoint ${generation}`) : undefined;
  }

  /**
   * Saves a checkpoint (`saveCheckpoint`, the store's own) with the steady-state position in one
   * transaction, and drops the events it includes: a kill between the two cannot split them.
   */
  saveWithCheckpoint(generation: number, state: SteadyState, saveCheckpoint: () => void): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO steady_checkpoints (generation, state) VALUES (?, ?)');
    const prune = this.db.prepare('DELETE FROM schedule_events WHERE seq <= ?');
    this.db.transaction(() => {
      saveCheckpoint();
      insert.run(generation, JSON.stringify(state));
      prune.run(state.journalSeq);
    })();
  }
}
