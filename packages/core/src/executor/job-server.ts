import type { Pipeline } from './evaluate-program.js';
import type { Executor, JobResult } from './job.js';

/** What a serving executor reports; `llmatic worker` prints one line per event. */
export type ServeEvent =
  /** A job was evaluated and its result handed back. */
  | { type: 'job'; jobId: string; candidateId: string; result: JobResult }
  /** A job was given back unfinished (the worker is stopping), for another worker to take. */
  | { type: 'released'; jobId: string; candidateId: string }
  /** A job this worker could not read (malformed, from another version); it was failed. */
  | { type: 'rejected'; jobId: string; message: string }
  /** The connection to the job source dropped; the executor keeps trying to reconnect. */
  | { type: 'connection-lost'; message: string }
  /** The connection came back after a `connection-lost`. */
  | { type: 'connection-restored' }
  /** Any other problem worth a line in the worker's log; serving goes on. */
  | { type: 'error'; message: string };

/** What `llmatic worker` hands to {@link JobServer.serve}. */
export interface ServeOptions<M = unknown> {
  /** The trusted pipeline (space, evaluator, descriptors) of the worker's config. */
  pipeline: Pipeline<M>;
  /** Jobs evaluated at once. */
  concurrency: number;
  /**
   * Executor-specific settings from the command line, by name without dashes
   * (`llmatic worker --redis URL --queue runs` gives `{ redis: 'URL', queue: 'runs' }`). They
   * override the config's; the executor validates them and rejects unknown names with a
   * `ConfigError` that lists the names it takes.
   */
  settings: Readonly<Record<string, string>>;
  /** Receives progress and trouble, one event per log line. */
  onEvent: (event: ServeEvent) => void;
}

/** A running server of jobs, from {@link JobServer.serve}. */
export interface JobServing {
  /** What is served and where, for the log, e.g. `queue "llmatic" at redis://10.0.0.5:6379`. */
  readonly description: string;
  /** Takes no new job; resolves once the current jobs are finished (or released) and reported. */
  stop(): Promise<void>;
  /**
   * Gives the current jobs back at once (their evaluations are aborted) for other workers to take;
   * a pending `stop()` then resolves promptly.
   */
  release(): void;
}

/**
 * An executor whose jobs other processes can serve: `llmatic worker CONFIG` loads the config and,
 * when its `executor` implements this, calls `serve(...)` with the config's pipeline. Executors
 * that evaluate in the run's own process (in-process, worker threads) do not implement it.
 *
 * `serve` resolves once serving has started, and rejects (with an error naming the fix) when it
 * cannot start: bad settings (a `ConfigError`), an unreachable server.
 */
export interface JobServer {
  serve<M>(options: ServeOptions<M>): Promise<JobServing>;
}

/**
 * Whether a config's `executor` can serve jobs. Checks the shape, not the class, so executors
 * loaded through another copy of `@llmatic/core` (a config loaded by jiti) are recognised.
 */
export function isJobServer(executor: unknown): executor is Executor & JobServer {
  return typeof executor === 'object' && executor !== null && typeof (executor as Partial<JobServer>).serve === 'function';
}
