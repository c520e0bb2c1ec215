// Per-candidate overhead of the tfjs sandbox: milliseconds to compile the seed program (spawn a
// locked-down Node process, run the program against the describe-only shim, validate the
// topology), next to the bare cost of starting Node with the same flags.
import { spawn } from 'node:child_process';
import { SEED_PROGRAM, tfjsCompiler } from '@llmatic/tfjs';

const WARMUP = 2;
const RUNS = 20;

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return { runs: sorted.length, meanMs: round(mean), medianMs: round(at(0.5)), p95Ms: round(at(0.95)), minMs: round(sorted[0]) };
}
const round = (x) => Math.round(x * 10) / 10;

function bareNode() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], {
      env: {},
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - started));
  });
}

export default async function run() {
  const compiler = tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10 });
  const compileTimes = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const started = performance.now();
    const result = await compiler.compile(SEED_PROGRAM);
    const elapsed = performance.now() - started;
    if (!result.ok) throw new Error(`the seed program failed to compile: ${result.failure.message}`);
    if (i >= WARMUP) compileTimes.push(elapsed);
  }
  const startupTimes = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const elapsed = await bareNode();
    if (i >= WARMUP) startupTimes.push(elapsed);
  }
  const compile = summary(compileTimes);
  const nodeStartup = summary(startupTimes);
  return {
    seedCompile: compile,
    nodeStartup,
    sandboxOverheadMedianMs: round(compile.medianMs - nodeStartup.medianMs),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
