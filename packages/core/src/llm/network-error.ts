/*
 * Shared by the HTTP providers: which transport failures mean "server not there" (fail fast) and
 * which mean "connection broke" (retry).
 */

/** Error codes meaning "could not open a connection": nothing is listening, or no route. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Error codes meaning "the connection broke": reset, closed mid-response, socket errors. */
const BROKEN_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/** How a transport-level error failed, if it is one. */
export type NetworkFailure = { phase: 'connect' | 'broken'; code: string };

/** Walks `cause` chains and AggregateErrors (happy-eyeballs) collecting `code` properties. */
function codes(error: unknown, seen = new Set<unknown>()): string[] {
  if (error === null || typeof error !== 'object' || seen.has(error)) return [];
  seen.add(error);
  const found: string[] = [];
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === 'string') found.push(record.code);
  if (Array.isArray(record.errors)) for (const inner of record.errors) found.push(...codes(inner, seen));
  found.push(...codes(record.cause, seen));
  return found;
}

/**
 * Classifies a fetch (undici) failure: `connect` when no connection could be opened, `broken`
 * when an open connection died (including undici's bare `TypeError: terminated` on a body that
 * stopped mid-stream), undefined for anything else.
 */
export function networkFailure(error: unknown): NetworkFailure | undefined {
  const all = codes(error);
  const connect = all.find((c) => CONNECT_CODES.has(c));
  if (connect) return { phase: 'connect', code: connect };
  const broken = all.find((c) => BROKEN_CODES.has(c));
  if (broken) return { phase: 'broken', code: broken };
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof TypeError && (e.message === 'terminated' || e.message === 'fetch failed')) {
      return { phase: 'broken', code: e.message };
    }
  }
  return undefined;
}
