/**
 * A queue worker process for the kill stress test (queue-kill-stress.test.ts), which bundles this
 * file from the sources and runs it as `node BUNDLE REDIS_URL QUEUE ATTEMPTS`. Prints "ready" once
 * it serves; exits by itself when the test process is gone.
 */
import { resolveQueueOptions } from '../src/options.js';
import { serveQueue } from '../src/queue-worker.js';
import { testPipeline } from './test-pipeline.js';

const [connection, queue, attempts] = process.argv.slice(2);
if (!connection || !queue || !attempts) throw new Error('usage: node stress-worker.mjs REDIS_URL QUEUE ATTEMPTS');

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500).unref();

const settings = resolveQueueOptions({ connection, queue, attempts: Number(attempts), lockMs: 1_000, stalledCheckMs: 500 });
await serveQueue({ pipeline: testPipeline().pipeline, settings, concurrency: 2 });
process.stdout.write('ready\n');
