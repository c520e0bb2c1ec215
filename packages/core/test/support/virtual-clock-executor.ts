/**
 * An executor on a virtual clock, for scheduling tests that count instead of timing. Every job is
 * evaluated at once by the inner executor but held until the driver releases it; each has a
 * duration drawn from its id (lognormal), and the driver always finishes the held job that would
 * end first, advancing the clock to its end. The driver acts only when the process is idle (every
 * microtask has run), so what the loop does between two completions is finished and counted, and
 * a run's course depends on nothing but its inputs.
 */
import { Rng, type EvaluationJob, type Executor, type JobResult } from '@llmatic/core';

interface Held {
  id: string;
  end: number;
  result: Promise<JobResult>;
  release: (result: Promise<JobResult>) => void;
}

export interface ClockObservation {
  /** Jobs held (in evaluation) when the process was idle. */
  held: number;
  /** Virtual time then. */
  now: number;
}

export class VirtualClockExecutor implements Executor {
  now = 0;
  /** Sum of all released jobs' durations. */
  busy = 0;
  /** Most jobs ever held at once. */
  maxHeld = 0;
  /** Ids of every job run, in start order. */
  readonly started: string[] = [];
  private readonly held = new Map<string, Held>();
  private onSubmit: (() => void) | undefined;

  constructor(
    private readonly inner: Executor,
    private readonly seed: number,
    private readonly sigma = 0.8,
  ) {}

  /** The job's duration: lognormal with median 1 (Box-Muller on the job's own stream). */
  duration(id: string): number {
    const rng = Rng.derive(this.seed, 'duration', id);
    const u = Math.max(rng.float(), 1e-12);
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
    return Math.exp(this.sigma * normal);
  }

  /** Resolves when the next job is submitted. */
  submitted(): Promise<void> {
    return new Promise((resolve) => (this.onSubmit = resolve));
  }

  run(job: EvaluationJob): Promise<JobResult> {
    this.started.push(job.candidateId);
    this.onSubmit?.();
    this.onSubmit = undefined;
    const result = this.inner.run(job);
    return new Promise<JobResult>((resolve) => {
      const end = this.now + this.duration(job.candidateId);
      this.held.set(job.candidateId, { id: job.candidateId, end, result, release: resolve });
      this.maxHeld = Math.max(this.maxHeld, this.held.size);
    });
  }

  get heldCount(): number {
    return this.held.size;
  }

  /** Finishes the held job that ends first; false when none is held. */
  releaseNext(): boolean {
    let next: Held | undefined;
    for (const job of this.held.values()) if (!next || job.end < next.end || (job.end === next.end && job.id < next.id)) next = job;
    if (!next) return false;
    this.held.delete(next.id);
    this.busy += this.duration(next.id);
    this.now = Math.max(this.now, next.end);
    next.release(next.result);
    return true;
  }

  async close(): Promise<void> {
    await this.inner.close();
  }
}

const idle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Drives `run` on `executor`'s clock until it settles (or until `stopAfter` releases, to
 * imitate a crash: the run is then left hanging, as a killed process would). `observe` sees the
 * idle state before each release. A run that waits with nothing in evaluation is waiting for
 * real I/O; a true deadlock shows as a test timeout.
 */
export async function drive<T>(
  run: Promise<T>,
  executor: VirtualClockExecutor,
  options: { stopAfter?: number; observe?: (o: ClockObservation) => void } = {},
): Promise<T | 'abandoned'> {
  let settled = false;
  const watched = run.finally(() => (settled = true));
  watched.catch(() => undefined);
  let releases = 0;
  for (;;) {
    await idle();
    if (settled) return watched;
    if (options.stopAfter !== undefined && releases >= options.stopAfter) return 'abandoned';
    if (executor.heldCount === 0) {
      // Nothing to finish: the run waits for real I/O (e.g. a benchmark table loading).
      await Promise.race([watched.catch(() => undefined), executor.submitted()]);
      continue;
    }
    options.observe?.({ held: executor.heldCount, now: executor.now });
    executor.releaseNext();
    releases += 1;
  }
}
