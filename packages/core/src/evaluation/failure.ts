/**
 * Why an offspring produced no usable network. Every failure is recorded and charged to the
 * prompt that produced it (curiosity -1); it is never replaced by its parent.
 */
export type FailureReason =
  /** No program could be found in the LLM reply (or the reply was truncated). */
  | 'extraction'
  /** The program does not parse, does not run, or does not build a model. */
  | 'compile'
  /** The model's output is not `[batch, numClasses]`. */
  | 'output-shape'
  /** Training produced NaN or Inf loss. */
  | 'non-finite-loss'
  /** Over a configured cap: parameters, FLOPs, layers. */
  | 'resource-cap'
  /** Over the wall-clock limit. */
  | 'timeout'
  /** Over the memory limit. */
  | 'memory'
  /** Generated code tried something it may not: files, processes, env, network. */
  | 'sandbox-violation'
  /** The evaluator could not score the model (e.g. not in the benchmark table). */
  | 'evaluation'
  /** The evaluating process died. */
  | 'crash'
  /** The LLM call failed after retries. */
  | 'llm';

export const FAILURE_REASONS: readonly FailureReason[] = [
  'extraction',
  'compile',
  'output-shape',
  'non-finite-loss',
  'resource-cap',
  'timeout',
  'memory',
  'sandbox-violation',
  'evaluation',
  'crash',
  'llm',
];

/** A typed failure with a human-readable message naming the problem. */
export interface Failure {
  reason: FailureReason;
  message: string;
}

export type Result<T> = ({ ok: true } & T) | { ok: false; failure: Failure };

export function fail(reason: FailureReason, message: string): { ok: false; failure: Failure } {
  return { ok: false, failure: { reason, message } };
}

/**
 * The longest failure message kept, in UTF-16 code units. Messages carry text from untrusted
 * programs and servers (an error thrown by generated code, an LLM server's error page): a 2.3 MB
 * one was seen. A few KB keep the part that names the problem.
 */
export const MAX_FAILURE_MESSAGE_CHARS = 4_096;

const cutMarker = (cut: number) => ` [... ${cut.toLocaleString('en-US')} more characters cut]`;

/**
 * `message` cut to at most `max` characters (default {@link MAX_FAILURE_MESSAGE_CHARS}), the
 * marker at its end saying how many were cut; shorter messages are returned as they are, so
 * cutting twice changes nothing. Never splits a surrogate pair.
 */
export function truncateFailureMessage(message: string, max: number = MAX_FAILURE_MESSAGE_CHARS): string {
  if (message.length <= max) return message;
  // The marker is longest when it counts every character, so this keep always fits.
  let keep = Math.max(0, max - cutMarker(message.length).length);
  const last = message.charCodeAt(keep - 1);
  if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep -= 1;
  return message.slice(0, keep) + cutMarker(message.length - keep);
}
