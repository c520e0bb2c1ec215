import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Where a job stands, as far as its coordinator cares. */
export type JobSnapshot =
  /** No such job (never queued, removed, or lost with a Redis that restarted empty). */
  | { state: 'missing' }
  /** Waiting, delayed, active, or back in the queue after a stall or a retryable failure. */
  | { state: 'unfinished' }
  | { state: 'completed'; returnvalue: unknown }
  | { state: 'failed'; failedReason: string | undefined };

/** BullMQ keeps results as JSON; anything else reads as missing (and decodes as a crash). */
function parseReturnValue(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Reads a job's fields and whether it is finished in one MULTI, so the answer is one moment's.
 * BullMQ finishes a job in one Lua script that writes `returnvalue` (or `failedReason`) and adds
 * the job to the completed (or failed) set, and removes a job in one script too; so a snapshot
 * that finds the job completed always holds its result. Reading the job and then its state in two
 * round trips did not: a job that completed in between read as completed with the earlier
 * snapshot's null result, and was recorded as a crash (issue 9).
 */
export async function snapshotJob(client: Redis, queue: Queue, id: string): Promise<JobSnapshot> {
  const replies = await client
    .multi()
    .hgetall(queue.toKey(id))
    .zscore(queue.toKey('completed'), id)
    .zscore(queue.toKey('failed'), id)
    .exec();
  if (!replies) throw new Error(`reading job ${id} was aborted (its transaction was discarded)`);
  const [fields, completed, failed] = replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  const job = (fields ?? {}) as Record<string, string>;
  if (Object.keys(job).length === 0) return { state: 'missing' };
  if (completed !== null && completed !== undefined) return { state: 'completed', returnvalue: parseReturnValue(job.returnvalue) };
  if (failed !== null && failed !== undefined) return { state: 'failed', failedReason: job.failedReason };
  return { state: 'unfinished' };
}
