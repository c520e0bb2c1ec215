import { availableParallelism } from 'node:os';
import { CVTArchive, type CVTArchiveSnapshot } from '../archive/cvt-archive.js';
import type { ResolvedConfig } from '../config/define-config.js';
import { InProcessExecutor } from '../executor/in-process-executor.js';
import { WorkerPoolExecutor } from '../executor/worker-pool-executor.js';
import type { Executor } from '../executor/job.js';
import type { FailureReason } from '../evaluation/failure.js';
import { createPromptRenderer } from '../prompts/render.js';
import { Rng } from '../rng/rng.js';
import { costOf, withBudget } from '../llm/budget.js';
import type { LLMProvider } from '../llm/provider.js';
import type { SearchStrategy, Offspring, OffspringSlot, PromptRenderer, Proposal, TellStatus } from '../strategy/strategy.js';
import { RunStore } from '../store/run-store.js';
import type { SteadyState } from '../store/schedule-journal.js';
import type { GenerationStats, RunManifest } from '../store/records.js';
import type { RunEvent } from './events.js';
import { OffspringProducer } from './offspring-producer.js';
import { RunStopped } from './run-stopped.js';
import { buildSummary, type RunSummary } from './summary.js';
import { SteadyStateLoop } from './steady-state-loop.js';

export interface RunOptions {
  /** The run folder. */
  dir: string;
  /** Recorded so that `llmatic resume` can load the same pipeline. */
  configPath?: string;
  /** Stops the run after in-flight work is abandoned; finished work is kept. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Default: in this process. */
  executor?: Executor;
}

type ResultPayload = { id: string };

function manifestOf(config: ResolvedConfig, configPath: string | undefined): RunManifest {
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    configPath: configPath ?? null,
    seed: config.seed,
    generations: config.generations,
    batchSize: config.batchSize,
    strategy: { name: config.strategy.name, options: config.strategy.options },
    space: config.space.name,
    language: config.space.language,
    evaluator: config.evaluator.name,
    llm: config.llm ? { provider: config.llm.name, model: config.llm.model } : null,
    descriptors: config.descriptors.map((d) => ({ name: d.name, label: d.label ?? d.name, bounds: [d.bounds[0], d.bounds[1]] })),
    niches: config.niches,
    promptStyle: config.promptStyle,
  };
}

/**
 * A steady-state run stopped between checkpoints has offspring in flight that only the
 * steady-state loop can finish; generational resumes are refused rather than losing them.
 */
function refuseSteadyLeftovers(store: RunStore, dir: string): void {
  const journal = store.scheduleJournal();
  const last = store.lastCheckpoint();
  const inFlight = last ? (journal.stateAt(last.generation)?.inFlight.length ?? 0) : 0;
  if (inFlight > 0 || journal.hasEvents()) {
    throw new Error(
      `Cannot resume ${dir} generationally: it was stopped in steady-state with offspring in flight. Resume it with \`schedule: 'steady-state'\` (the config it was started with).`,
    );
  }
}

/** The search loop: ask, produce (LLM + evaluation, persisted), tell, checkpoint; per generation. */
export class Runner {
  /** When the current session's time was last added to the run's elapsed time. */
  private mark = performance.now();
  /** The steady-state loop while it runs (it receives the producer's events). */
  private steady: SteadyStateLoop | undefined;
  private render: PromptRenderer | undefined;

  private constructor(
    private readonly config: ResolvedConfig,
    private readonly store: RunStore,
    private readonly strategy: SearchStrategy,
    private readonly results: CVTArchive<ResultPayload>,
    private readonly executor: Executor,
    private readonly options: RunOptions,
    private lastStats: GenerationStats | undefined,
  ) {}

  /** Starts a new run in `options.dir` (created only once the pipeline is known to assemble). */
  static start(config: ResolvedConfig, options: RunOptions): Runner {
    return Runner.assemble(config, options, () => RunStore.create(options.dir, manifestOf(config, options.configPath)));
  }

  /** Continues the run in `options.dir` from its last checkpoint. */
  static resume(config: ResolvedConfig, options: RunOptions): Runner {
    const store = RunStore.open(options.dir);
    try {
      const manifest = store.manifest();
      const problems = [
        manifest.seed !== config.seed && `seed ${config.seed} (the run used ${manifest.seed})`,
        manifest.batchSize !== config.batchSize && `batch size ${config.batchSize} (the run used ${manifest.batchSize})`,
        manifest.strategy.name !== config.strategy.name && `strategy ${config.strategy.name} (the run used ${manifest.strategy.name})`,
        manifest.descriptors.length !== config.descriptors.length && 'a different number of descriptors',
      ].filter(Boolean);
      if (problems.length > 0) {
        throw new Error(`Cannot resume ${options.dir} with ${problems.join(', ')}: resume it with the config it was started with.`);
      }
      if (config.schedule === 'generational') refuseSteadyLeftovers(store, options.dir);
      // A resume may extend the run with more generations.
      if (manifest.generations !== config.generations) store.updateManifest({ ...manifest, generations: config.generations });
      return Runner.assemble(config, options, () => store);
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /** Builds strategy and executor first, so that a config they reject leaves no run folder behind. */
  private static assemble(config: ResolvedConfig, options: RunOptions, openStore: () => RunStore): Runner {
    const env = {
      seed: config.seed,
      space: config.space,
      descriptorBounds: config.descriptors.map((d) => d.bounds),
      ...(config.cacheDir ? { cacheDir: config.cacheDir } : {}),
    };
    const strategy = config.strategy.create(env);
    const executor = options.executor ?? Runner.defaultExecutor(config, options);
    const store = openStore();
    const checkpoint = store.lastCheckpoint();
    let results: CVTArchive<ResultPayload>;
    if (checkpoint) {
      strategy.restore(checkpoint.strategy);
      results = CVTArchive.fromJSON(checkpoint.resultArchive as CVTArchiveSnapshot<ResultPayload>);
    } else {
      results = new CVTArchive<ResultPayload>({
        bounds: env.descriptorBounds,
        niches: config.niches,
        seed: Rng.derive(config.seed, 'centroids', 'results').int(0, 2 ** 31 - 1),
        ...(config.cacheDir ? { cacheDir: config.cacheDir } : {}),
      });
    }
    return new Runner(config, store, strategy, results, executor, options, checkpoint?.stats);
  }

  private static defaultExecutor(config: ResolvedConfig, options: RunOptions): Executor {
    if (typeof config.executor === 'object') return config.executor;
    if (config.executor === 'in-process') return new InProcessExecutor(config);
    if (!options.configPath) {
      throw new Error('executor "workers" loads the config file in each worker: run from a config file (llmatic run CONFIG).');
    }
    const threads = config.concurrency.evaluations ?? availableParallelism();
    return new WorkerPoolExecutor({ configPath: options.configPath, threads });
  }

  /** The config's LLM under the run's budget, counting what earlier sessions of the run spent. */
  private budgetedLLM(): LLMProvider | undefined {
    const { llm, budget } = this.config;
    if (!llm || !budget) return llm;
    const prices = budget.prices ?? {};
    const spent = { calls: 0, promptTokens: 0, completionTokens: 0, cost: 0 };
    for (const usage of this.store.usageByModel()) {
      spent.calls += usage.calls;
      spent.promptTokens += usage.promptTokens;
      spent.completionTokens += usage.completionTokens;
      spent.cost += costOf(usage, prices[usage.model] ?? prices[llm.model] ?? prices['*']);
    }
    return withBudget(llm, { ...budget, spent });
  }

  get dir(): string {
    return this.store.dir;
  }

  private emit(event: RunEvent): void {
    this.options.onEvent?.(event);
  }

  /** Runs the remaining generations; resolves with the summary (also written to summary.json). */
  async execute(): Promise<RunSummary> {
    const { config } = this;
    const producer = new OffspringProducer({
      store: this.store,
      space: config.space,
      executor: this.executor,
      llm: this.budgetedLLM(),
      llmConcurrency: config.concurrency.llm,
      evaluationConcurrency: config.concurrency.evaluations ?? availableParallelism(),
      constrained: config.constrainedDecoding,
      keepArtifacts: config.keepArtifacts,
      runSeed: config.seed,
      emit: (event) => (this.steady ? this.steady.route(event) : this.emit(event)),
    });
    const first = (this.lastStats?.generation ?? -2) + 1;
    this.emit({ type: 'start', generations: config.generations, batchSize: config.batchSize, resumedFrom: this.lastStats ? this.lastStats.generation : null });
    try {
      if (first < 0) await this.evaluateSeed(producer);
      if (config.schedule === 'steady-state') {
        await this.steadyState(producer);
      } else {
        for (let generation = Math.max(first, 0); generation < config.generations; generation++) {
          await this.generation(generation, producer);
        }
      }
      return this.finish('completed');
    } catch (error) {
      if (error instanceof RunStopped) {
        this.emit({ type: 'stopped', reason: error.message });
        return this.finish('stopped', error.message);
      }
      this.finish('stopped', error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      await this.executor.close();
      this.store.close();
    }
  }

  /** The seed network is evaluated once, for reference; it is not an offspring. */
  private async evaluateSeed(producer: OffspringProducer): Promise<void> {
    const seed = this.config.space.seed;
    await producer.produce(-1, [{ kind: 'code', operator: 'seed', parents: [], code: seed }], this.options.signal, [{ id: 'seed', index: 0 }]);
    this.checkpoint(-1, [], []);
  }

  private async generation(generation: number, producer: OffspringProducer): Promise<void> {
    const { config } = this;
    this.emit({ type: 'generation', generation });
    const offspring: Offspring[] = [];
    const statuses: TellStatus[] = [];
    // A strategy may plan a prefix of what is left (a wave) and learn from it before the rest.
    while (offspring.length < config.batchSize) {
      const slots = this.slots(generation, offspring.length, config.batchSize);
      const proposals = this.ask(generation, slots);
      const wave = await producer.produce(generation, proposals, this.options.signal, slots);
      statuses.push(...this.strategy.tell(wave));
      offspring.push(...wave);
    }
    this.closeGeneration(generation, offspring, statuses);
  }

  /** Steady-state: the remaining offspring, each asked for as soon as a slot frees. */
  private async steadyState(producer: OffspringProducer): Promise<void> {
    const { config } = this;
    const evaluations = config.concurrency.evaluations ?? availableParallelism();
    // LLM calls made ahead of free slots, so that a reply is ready when a slot frees.
    const ahead = config.strategy.usesLLM ? config.concurrency.llm : 0;
    this.steady = new SteadyStateLoop(
      {
        strategy: this.strategy,
        producer,
        store: this.store,
        journal: this.store.scheduleJournal(),
        batchSize: config.batchSize,
        total: config.generations * config.batchSize,
        capacity: evaluations + ahead,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
        slots: (generation, from, to) => this.slots(generation, from, to),
        ask: (generation, slots) => this.ask(generation, slots),
        completeGeneration: (generation, offspring, statuses, state) => this.closeGeneration(generation, offspring, statuses, state),
        emit: (event) => this.emit(event),
      },
      this.steadyStart(),
    );
    try {
      await this.steady.run();
    } finally {
      this.steady = undefined;
    }
  }

  /** Where steady-state starts: the last checkpoint's position, or a generation boundary. */
  private steadyStart(): SteadyState {
    const last = this.lastStats?.generation ?? -1;
    const saved = last >= 0 ? this.store.scheduleJournal().stateAt(last) : undefined;
    if (saved) return saved;
    const told = (last + 1) * this.config.batchSize;
    this.refuseGenerationalLeftovers(last);
    return { asked: told, told, journalSeq: 0, inFlight: [] };
  }

  /**
   * A generational run stopped mid-generation has offspring whose ids steady-state would plan
   * anew (and differently): their stored work would be reused for other proposals.
   */
  private refuseGenerationalLeftovers(last: number): void {
    if (this.store.scheduleJournal().hasEvents()) return; // a steady-state run stopped before its first checkpoint
    const started = this.store.candidates().some((c) => c.generation > last) || this.store.llmCalls().some((c) => c.generation > last);
    if (started) {
      throw new Error(
        `Cannot resume ${this.store.dir} in steady-state: it was stopped in the middle of generation ${last + 1} of a generational run. ` +
          "Resume it with `schedule: 'generational'` (the config it was started with); a run can switch at a generation's end.",
      );
    }
  }

  /** The strategy's proposals for `slots`: all of them or a non-empty prefix. */
  private ask(generation: number, slots: OffspringSlot[]): Proposal[] {
    const { config } = this;
    this.render ??= createPromptRenderer(config.space.prompts, config.promptStyle, config.maxTokens);
    const proposals = this.strategy.ask({ generation, batchSize: config.batchSize, offspring: slots, space: config.space, render: this.render });
    if (proposals.length === 0 || proposals.length > slots.length) {
      throw new Error(`strategy ${this.strategy.name} planned ${proposals.length} of ${slots.length} offspring: ask() must plan all of them or a non-empty prefix`);
    }
    return proposals;
  }

  /** A generation's offspring are all told: end it, add them to the result archive, checkpoint. */
  private closeGeneration(generation: number, offspring: readonly Offspring[], statuses: readonly TellStatus[], steady?: SteadyState): void {
    this.strategy.endGeneration?.(generation);
    for (const child of offspring) {
      if (child.result.ok) this.results.add(child.result.descriptors, child.result.fitness, { id: child.id });
    }
    this.checkpoint(generation, offspring, statuses, steady);
  }

  /** Offspring `from` to `to - 1` of `generation`, each with its own stream. */
  private slots(generation: number, from: number, to: number): OffspringSlot[] {
    const { seed } = this.config;
    return Array.from({ length: to - from }, (_, i) => {
      const index = from + i;
      return { id: `g${generation}-${index}`, generation, index, rng: Rng.derive(seed, 'generation', generation, 'offspring', index) };
    });
  }

  /** Saves a checkpoint; in steady-state with what is in flight (`steady`), atomically. */
  private checkpoint(generation: number, offspring: readonly Offspring[], statuses: readonly TellStatus[], steady?: SteadyState): void {
    const stats = this.stats(generation, offspring);
    const save = () =>
      this.store.saveCheckpoint(
        { generation, strategy: this.strategy.snapshot(), resultArchive: this.results.toJSON(), stats },
        offspring.map((child, i) => ({ id: child.id, status: statuses[i] ?? 'failed' })),
      );
    if (steady) this.store.scheduleJournal().saveWithCheckpoint(generation, steady, save);
    else save();
    this.lastStats = stats;
    this.pruneArtifacts();
    this.store.writeSummary(buildSummary(this.store, this.results, stats, 'running'));
    this.emit({ type: 'checkpoint', stats });
  }

  private pruneArtifacts(): void {
    if (this.config.keepArtifacts !== 'elites') return;
    const keep = new Set<string>(this.results.elites().map((e) => e.payload.id));
    for (const archive of Object.values(this.strategy.archives())) {
      for (const elite of archive.elites()) {
        const id = (elite.payload as { id?: unknown }).id;
        if (typeof id === 'string') keep.add(id);
      }
    }
    this.store.pruneArtifacts(keep);
  }

  private stats(generation: number, offspring: readonly Offspring[]): GenerationStats {
    const failures: Partial<Record<FailureReason, number>> = {};
    const fitnesses: number[] = [];
    for (const child of offspring) {
      if (child.result.ok) fitnesses.push(child.result.fitness);
      else failures[child.result.failure.reason] = (failures[child.result.failure.reason] ?? 0) + 1;
    }
    const best = this.results.best();
    const tokens = this.store.tokenTotals();
    const archives: GenerationStats['archives'] = {};
    for (const [name, archive] of Object.entries(this.strategy.archives())) {
      archives[name] = { coverage: archive.coverage, qdScore: archive.qdScore, elites: archive.size };
    }
    return {
      generation,
      evaluations: this.store.evaluationCounts().evaluations,
      valid: fitnesses.length,
      failed: offspring.length - fitnesses.length,
      failures,
      generationBest: fitnesses.length > 0 ? Math.max(...fitnesses) : null,
      bestFitness: best?.fitness ?? null,
      bestId: best?.payload.id ?? null,
      coverage: this.results.coverage,
      qdScore: this.results.qdScore,
      elites: this.results.size,
      archives,
      promptTokens: tokens.promptTokens,
      completionTokens: tokens.completionTokens,
      llmCalls: tokens.calls,
      elapsedMs: (this.lastStats?.elapsedMs ?? 0) + this.sinceMark(),
    };
  }

  private sinceMark(): number {
    const now = performance.now();
    const elapsed = now - this.mark;
    this.mark = now;
    return elapsed;
  }

  private finish(status: 'completed' | 'stopped', reason?: string): RunSummary {
    const summary = buildSummary(this.store, this.results, this.lastStats, status, reason);
    this.store.writeSummary(summary);
    return summary;
  }
}
