// Fuzzes program extraction (issue 9, class 3) against the built packages: every family of hostile
// replies in hostile-replies.mjs, up to 200,000 characters each, through both spaces' extractors.
// Records how many replies were tried, the costliest call (CPU time), and any failure (an exception, a result
// that is not an extraction result, or a call over the per-reply bound). Seeded: reruns try the
// same replies.
import { extractCell } from '@llmatic/nasbench201';
import { extractProgram } from '@llmatic/tfjs';
import { fuzzExtraction, hostileReplies, MAX_FUZZ_CHARS } from './hostile-replies.mjs';

const RUNS_PER_FAMILY = 100;
const BOUND_MS = 250;
const SEED = 9;

const round = (x) => Math.round(x * 10) / 10;

function fuzzSpace(extract) {
  const families = {};
  const failures = [];
  let replies = 0;
  let characters = 0;
  let worstMs = 0;
  const started = performance.now();
  for (const [name, arbitrary] of Object.entries(hostileReplies)) {
    const outcome = fuzzExtraction(extract, arbitrary, { numRuns: RUNS_PER_FAMILY, boundMs: BOUND_MS, seed: SEED });
    families[name] = { replies: outcome.runs, worstMs: round(outcome.worstMs) };
    if (outcome.failure) failures.push(`${name}: ${outcome.failure}`);
    replies += outcome.runs;
    characters += outcome.characters;
    worstMs = Math.max(worstMs, outcome.worstMs);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    replies,
    failures: { value: failures.length, unit: 'failures', target: { max: 1 } },
    worstMs: { value: round(worstMs), unit: 'ms CPU per reply', target: { max: BOUND_MS } },
    throughput: { value: round(characters / 1e6 / seconds), unit: 'M chars/s' },
    families,
    ...(failures.length > 0 ? { failureDetails: failures } : {}),
  };
}

export default async function run() {
  return {
    maxReplyChars: MAX_FUZZ_CHARS,
    runsPerFamily: RUNS_PER_FAMILY,
    seed: SEED,
    nasbench201: fuzzSpace(extractCell),
    tfjs: fuzzSpace(extractProgram),
  };
}
