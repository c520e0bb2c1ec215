import { fail, type Failure } from '@llmatic/core';

/**
 * The longest reply extraction reads, in UTF-16 code units: about 50,000 tokens, far past any
 * sensible `maxTokens`. Extraction is linear, but it runs in the coordinator, so a runaway reply
 * (a server that ignores the token limit, a tampered reply cache) must not hold the run up.
 */
export const MAX_REPLY_CHARS = 200_000;

const count = (n: number) => n.toLocaleString('en-US');

/** An `extraction` failure for a reply over {@link MAX_REPLY_CHARS}, else undefined. */
export function replyTooLong(reply: string): { ok: false; failure: Failure } | undefined {
  if (reply.length <= MAX_REPLY_CHARS) return undefined;
  return fail(
    'extraction',
    `the reply is ${count(reply.length)} characters long, more than the ${count(MAX_REPLY_CHARS)} extraction reads; lower the config's maxTokens, or check that the LLM server honours it`,
  );
}
