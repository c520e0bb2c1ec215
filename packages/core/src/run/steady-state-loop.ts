import { setMaxListeners } from 'node:events';
import type { ScheduleEvent, ScheduleJournal, InFlightOffspring, SteadyState } from '../store/schedule-journal.js';
import type { RunStore } from '../store/run-store.js';
import type { Offspring, OffspringSlot, Proposal, SearchStrategy, TellStatus } from '../strategy/strategy.js';
import { CompletionQueue } from './completion-queue.js';
import type { RunEvent } from './events.js';
import { toResult, type OffspringProducer } from './offspring-producer.js';

type OffspringEvent = Extract<RunEvent, { type: 'offspring' }>;
type Settled = { ok: true; child: Offspring } | { ok: false; error: unknown };

export interface SteadyStateOptions {
  strategy: SearchStrategy;
  producer: OffspringProducer;
  store: RunStore;
  journal: ScheduleJournal;
  batchSize: number;
  /** Offspring to tell in all: generations x batchSize. */
  total: number;
  /** Offspring asked but not told, at most: evaluation slots plus LLM calls made ahead. */
  capacity: number;
  signal?: AbortSignal;
  /** Offspring `from` .. `to - 1` of `generation`, each with its own stream. */
  slots(generation: number, from: number, to: number): OffspringSlot[];
  /** The strategy's proposals for `slots` (all or a non-empty prefix), checked. */
  ask(generation: number, slots: OffspringSlot[]): Proposal[];
  /** A generation's worth (`batchSize`) of results was told: end it and checkpoint with `state`. */
  completeGeneration(generation: number, offspring: readonly Offspring[], statuses: readonly TellStatus[], state: SteadyState): void;
  emit(event: RunEvent): void;
}

/**
 * Steady-state scheduling: keeps up to `capacity` offspring in flight; as soon as one finishes it
 * is told to the strategy and one more is asked for. Offspring ids stay `g{generation}-{index}`
 * with indices in ask order (a generation = every `batchSize` asks); a checkpoint falls every
 * `batchSize` completions and records what is in flight. Every ask and tell is journalled, so a
 * resume replays them on the restored strategy and continues exactly where the run stopped.
 */
export class SteadyStateLoop {
  private asked: number;
  private told: number;
  private journalSeq: number;
  /** Asked and not told, in ask order. */
  private readonly inFlight = new Map<string, InFlightOffspring>();
  private generation: { offspring: Offspring[]; statuses: TellStatus[] } = { offspring: [], statuses: [] };
  /** The producer's events, held until their offspring is told (then re-emitted in tell order). */
  private readonly produced = new Map<string, OffspringEvent>();

  constructor(
    private readonly options: SteadyStateOptions,
    start: SteadyState,
  ) {
    this.asked = start.asked;
    this.told = start.told;
    this.journalSeq = start.journalSeq;
    for (const flight of start.inFlight) this.inFlight.set(flight.id, flight);
  }

  /** Receives the producer's events: offspring events wait for their tell, others pass. */
  route(event: RunEvent): void {
    if (event.type === 'offspring') this.produced.set(event.id, event);
    else this.options.emit(event);
  }

  async run(): Promise<void> {
    if (this.told < this.options.total) this.options.emit({ type: 'generation', generation: this.currentGeneration() });
    this.replay();
    await this.pump();
  }

  private currentGeneration(): number {
    return Math.floor(this.told / this.options.batchSize);
  }

  /** Replays what happened since the last checkpoint on the restored strategy. */
  private replay(): void {
    for (const { seq, event } of this.options.journal.eventsAfter(this.journalSeq)) {
      // Before applying it: a checkpoint this event triggers must count it as included.
      this.journalSeq = seq;
      if (event.kind === 'ask') this.replayAsk(event);
      else this.replayTell(event.ids);
    }
  }

  private replayAsk(event: Extract<ScheduleEvent, { kind: 'ask' }>): void {
    const slots = this.options.slots(event.generation, event.from, event.from + event.offered);
    const proposals = this.options.ask(event.generation, slots);
    const same = proposals.length === event.proposals.length && proposals.every((p, i) => JSON.stringify(p) === JSON.stringify(event.proposals[i]));
    if (!same) {
      const id = slots[0]?.id ?? `g${event.generation}-${event.from}`;
      throw new Error(
        `Cannot resume in steady-state: strategy ${this.options.strategy.name} planned offspring from ${id} on differently than before the interruption. ` +
          'Its ask() must depend only on its restored state and the offspring streams (see SearchStrategy); report this as a bug of the strategy.',
      );
    }
    this.admit(event.generation, event.from, event.proposals);
  }

  private replayTell(ids: readonly string[]): void {
    for (const id of ids) {
      const flight = this.inFlight.get(id);
      const record = this.options.store.candidate(id);
      if (!flight || !record) {
        throw new Error(`Cannot resume in steady-state: the journal tells offspring ${id}, which ${flight ? 'has no stored result' : 'was never asked for'}; the run database is damaged.`);
      }
      const child: Offspring = { id, proposal: flight.proposal, ...(record.code ? { code: record.code } : {}), result: toResult(record) };
      this.tellOne(child);
    }
  }

  /** Produces what is in flight, tells each result as it comes and asks for more. */
  private async pump(): Promise<void> {
    const controller = new AbortController();
    // Every offspring in flight listens to it: that many listeners are expected, not a leak.
    setMaxListeners(this.options.capacity + 10, controller.signal);
    const outer = this.options.signal;
    const onAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) onAbort();
    else outer?.addEventListener('abort', onAbort, { once: true });
    const completions = new CompletionQueue<Settled>();
    let active = 0;
    const start = (flight: InFlightOffspring) => {
      active += 1;
      this.options.producer
        .produce(flight.generation, [flight.proposal], controller.signal, [{ id: flight.id, index: flight.index }])
        .then(
          ([child]) => completions.push(child ? { ok: true, child } : { ok: false, error: new Error(`offspring ${flight.id} produced no result`) }),
          (error: unknown) => completions.push({ ok: false, error }),
        );
    };
    let failure: { error: unknown } | undefined;
    // After a failure nothing more is asked or told; what is in flight is abandoned and awaited
    // (work that finishes anyway is in the store, for the resume).
    const fail = (error: unknown) => {
      failure ??= { error };
      controller.abort(error);
    };
    try {
      for (const flight of this.inFlight.values()) start(flight);
      for (;;) {
        if (!failure && !controller.signal.aborted) {
          try {
            for (const flight of this.fill()) start(flight);
          } catch (error) {
            fail(error);
          }
        }
        if (active === 0) break;
        const settled = await completions.next();
        active -= 1;
        if (!settled.ok) fail(settled.error);
        else if (!failure) {
          try {
            this.tellLive(settled.child);
          } catch (error) {
            fail(error);
          }
        }
      }
    } finally {
      outer?.removeEventListener('abort', onAbort);
    }
    if (failure) throw failure.error;
  }

  /** Asks for offspring until `capacity` are in flight (or all are asked); returns the new ones. */
  private fill(): InFlightOffspring[] {
    const { batchSize, total, capacity } = this.options;
    const added: InFlightOffspring[] = [];
    while (this.inFlight.size < capacity && this.asked < total) {
      const generation = Math.floor(this.asked / batchSize);
      const from = this.asked % batchSize;
      const offered = Math.min(capacity - this.inFlight.size, batchSize - from, total - this.asked);
      const proposals = this.options.ask(generation, this.options.slots(generation, from, from + offered));
      // Journalled before any LLM call or evaluation starts, so a resume knows every offspring paid for.
      this.journalSeq = this.options.journal.append({ kind: 'ask', generation, from, offered, proposals });
      added.push(...this.admit(generation, from, proposals));
    }
    return added;
  }

  private admit(generation: number, from: number, proposals: readonly Proposal[]): InFlightOffspring[] {
    const admitted = proposals.map((proposal, i) => ({ id: `g${generation}-${from + i}`, generation, index: from + i, proposal }));
    for (const flight of admitted) this.inFlight.set(flight.id, flight);
    this.asked += proposals.length;
    return admitted;
  }

  private tellLive(child: Offspring): void {
    this.journalSeq = this.options.journal.append({ kind: 'tell', ids: [child.id] });
    this.tellOne(child);
  }

  /** Tells one result; every `batchSize` results end a generation with a checkpoint. */
  private tellOne(child: Offspring): void {
    const { strategy, batchSize, total } = this.options;
    const [status = 'failed'] = strategy.tell([child]);
    this.inFlight.delete(child.id);
    this.told += 1;
    this.generation.offspring.push(child);
    this.generation.statuses.push(status);
    this.emitTold(child);
    if (this.told % batchSize !== 0) return;
    const generation = this.told / batchSize - 1;
    const { offspring, statuses } = this.generation;
    this.generation = { offspring: [], statuses: [] };
    this.options.completeGeneration(generation, offspring, statuses, this.state());
    if (this.told < total) this.options.emit({ type: 'generation', generation: generation + 1 });
  }

  /** The producer's event for `child`, numbered within its generation of completions. */
  private emitTold(child: Offspring): void {
    const event = this.produced.get(child.id);
    this.produced.delete(child.id);
    const fitness = child.result.ok ? child.result.fitness : null;
    this.options.emit({
      ...(event ?? { type: 'offspring', id: child.id, ok: child.result.ok, fitness, reused: true }),
      generation: Math.floor((this.told - 1) / this.options.batchSize),
      done: this.generation.offspring.length,
    });
  }

  private state(): SteadyState {
    return { asked: this.asked, told: this.told, journalSeq: this.journalSeq, inFlight: [...this.inFlight.values()] };
  }
}
