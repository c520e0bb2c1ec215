/** `llmatic worker` as a user meets it when something is wrong: bad flags, no Redis. */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../plugins/executor-queue/test/redis-server.js';
import { assertCliBuilt, sharedTable, startCli } from './support/cli.js';

const fixture = 'test/fixtures/nb201-queue.config.ts';
const hasTable = existsSync(sharedTable);
// The config builds an LLM provider (a worker never calls it), so it needs these to load.
const env = { LLMATIC_LLM: 'openai', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', LLMATIC_NB201_TABLE: sharedTable };
if (!hasTable) console.warn(`SKIPPED llmatic worker CLI tests: no NAS-Bench-201 table at ${sharedTable}`);

describe('llmatic worker', () => {
  beforeAll(() => assertCliBuilt());

  it.skipIf(!hasTable)('rejects a --redis that is not a Redis URL, naming the flag', async () => {
    const cli = startCli(['worker', fixture, '--redis', 'localhost:6379'], {});
    expect(await cli.exit).not.toBe(0);
    expect(cli.output()).toContain('--redis must be a Redis URL such as redis://10.0.0.5:6379, got "localhost:6379"');
  });

  it.skipIf(!hasTable)('rejects a queue name Redis keys cannot hold', async () => {
    const cli = startCli(['worker', fixture, '--queue', 'runs:a'], {});
    expect(await cli.exit).not.toBe(0);
    expect(cli.output()).toContain(`--queue may hold letters, digits, '.', '_' and '-' only, got "runs:a"`);
  });

  it.skipIf(!hasTable)('says where Redis is missing (exit 2) when neither the flag nor the config names one', async () => {
    const cli = startCli(['worker', fixture], { ...env, LLMATIC_REDIS_URL: '' });
    expect(await cli.exit).toBe(2);
    expect(cli.output()).toContain('No Redis to serve: pass --redis redis://host:6379');
  });

  it.skipIf(!hasTable)('stops at once with one line naming the address and the fix when Redis is down', async () => {
    const port = await freePort();
    const started = Date.now();
    const cli = startCli(['worker', fixture, '--redis', `redis://127.0.0.1:${port}`], env);
    expect(await cli.exit).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    const output = cli.output();
    expect(output).toContain(`error: Cannot reach Redis at redis://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}).`);
    expect(output).toContain(`redis-server --port ${port}`);
    expect(output).toContain("llmatic worker --redis URL");
    expect(output.match(/ECONNREFUSED/g)).toHaveLength(1);
    expect(output).not.toContain('serving queue');
  });
});
