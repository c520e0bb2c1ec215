/**
 * What crosses Redis: a job's data and its result, as JSON; artifacts as raw bytes in a hash
 * beside the job. Both ends validate what they read, since the other end may run another version.
 */
import { createHash } from 'node:crypto';
import { FAILURE_REASONS, type EvaluationJob, type FailureReason, type JobResult } from '@llmatic/core';
import { z } from 'zod';

/** Bumped when the wire format changes incompatibly. */
export const WIRE_VERSION = 1;

/** Job name in the queue (one kind of job). */
export const JOB_NAME = 'evaluate';

export interface JobData {
  v: number;
  candidateId: string;
  code: string;
}

const jobDataSchema = z.object({ v: z.number().int(), candidateId: z.string().min(1), code: z.string() });

export const encodeJob = (job: EvaluationJob): JobData => ({ v: WIRE_VERSION, candidateId: job.candidateId, code: job.code });

/** The job, or why it cannot be read (e.g. a coordinator of another version). */
export function decodeJob(data: unknown): { ok: true; job: EvaluationJob } | { ok: false; message: string } {
  const parsed = jobDataSchema.safeParse(data);
  if (!parsed.success) return { ok: false, message: `malformed job data: ${parsed.error.issues.map((i) => i.message).join('; ')}` };
  if (parsed.data.v !== WIRE_VERSION) {
    return {
      ok: false,
      message: `job format v${parsed.data.v}, this worker reads v${WIRE_VERSION}: run the same @llmatic/executor-queue version on the coordinator and the workers`,
    };
  }
  return { ok: true, job: { candidateId: parsed.data.candidateId, code: parsed.data.code } };
}

/**
 * A deterministic job id: `[runId-]candidate-hash`, where the hash covers the candidate id and the
 * code. The same candidate submitted again (by a resumed coordinator) gets the same id, which
 * BullMQ accepts only once.
 */
export function jobIdOf(job: EvaluationJob, runId: string | undefined): string {
  const hash = createHash('sha256').update(job.candidateId).update('\0').update(job.code).digest('hex').slice(0, 20);
  // BullMQ rejects ':' in custom ids and ids that parse as integers; the hash keeps them unique.
  const candidate = job.candidateId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  return `${runId ? `${runId}-` : ''}${candidate}-${hash}`;
}

const failureSchema = z.object({
  reason: z.enum(FAILURE_REASONS as [FailureReason, ...FailureReason[]]),
  message: z.string(),
});

/** An artifact named in a result; its bytes wait under {@link artifactsKey}, field = its index. */
export interface ArtifactRef {
  name: string;
  bytes: number;
}

/**
 * Where a job's artifacts wait, as raw bytes beside the job. Not in the job's result: BullMQ
 * copies results into its event stream, which every coordinator reads and Redis keeps for a while.
 */
export const artifactsKey = (queue: string, jobId: string) => `llmatic:${queue}:artifacts:${jobId}`;

const wireResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    fitness: z.number(),
    descriptors: z.array(z.number()),
    // JSON has no NaN or Infinity: a non-finite metric arrives as null (as the run store keeps it).
    metrics: z.record(z.string(), z.number().nullable()),
    info: z.record(z.string(), z.string()).optional(),
    artifacts: z.array(z.object({ name: z.string().min(1), bytes: z.number().int().min(0) })).optional(),
    evaluationMs: z.number(),
  }),
  z.object({ ok: z.literal(false), failure: failureSchema, evaluationMs: z.number() }),
]);

export type WireResult = z.infer<typeof wireResultSchema>;

/** The result as JSON, and the artifacts' bytes to store under {@link artifactsKey}. */
export function encodeResult(result: JobResult): { wire: WireResult; blobs: Buffer[] } {
  if (!result.ok) return { wire: result, blobs: [] };
  const { artifacts, ...rest } = result;
  if (!artifacts || artifacts.length === 0) return { wire: rest, blobs: [] };
  return {
    wire: { ...rest, artifacts: artifacts.map((a) => ({ name: a.name, bytes: a.data.byteLength })) },
    blobs: artifacts.map((a) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)),
  };
}

const crash = (message: string): JobResult => ({ ok: false, failure: { reason: 'crash', message }, evaluationMs: 0 });

/**
 * The job result a worker returned (without artifact bytes) and the artifacts it names, or a
 * `crash` failure saying why it cannot be read.
 */
export function decodeResult(value: unknown): { result: JobResult; artifacts: ArtifactRef[] } {
  const parsed = wireResultSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return { result: crash(`unreadable result from the worker (${issues})`), artifacts: [] };
  }
  const result = parsed.data;
  if (!result.ok) return { result, artifacts: [] };
  const { artifacts, metrics, ...rest } = result;
  return {
    result: { ...rest, metrics: Object.fromEntries(Object.entries(metrics).map(([key, v]) => [key, v ?? Number.NaN])) },
    artifacts: artifacts ?? [],
  };
}

/** Joins a result with its artifacts' bytes as read from {@link artifactsKey}. */
export function attachArtifacts(result: JobResult, refs: readonly ArtifactRef[], stored: Record<string, Buffer>): JobResult {
  if (!result.ok || refs.length === 0) return result;
  const artifacts = [];
  for (const [index, ref] of refs.entries()) {
    const bytes = stored[String(index)];
    if (!bytes || bytes.byteLength !== ref.bytes) {
      return crash(`artifact ${ref.name} of this job is missing from Redis (deleted, or kept past keepResultsSeconds)`);
    }
    artifacts.push({ name: ref.name, data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  }
  return { ...result, artifacts };
}
