import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withReplyCache, replyCacheKey } from '../src/llm/reply-cache.js';
import type { GenerateRequest } from '../src/llm/provider.js';
import { ScriptedProvider } from './llm-scripted-provider.js';

const dirs: string[] = [];
async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'llmatic-reply-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const seeded: GenerateRequest = { messages: [{ role: 'user', content: 'mutate this net' }], temperature: 0.7, seed: 11 };

describe('withReplyCache', () => {
  it('answers a repeated call from disk, at zero token cost, across wrapper instances', async () => {
    const dir = await cacheDir();
    const inner = new ScriptedProvider('coder', (_r, i) => ({ text: `reply ${i}`, finishReason: 'stop' }));
    const first = await withReplyCache(inner, { dir }).generate(seeded);
    const again = withReplyCache(inner, { dir });
    const second = await again.generate(seeded);
    expect(inner.calls).toHaveLength(1);
    expect(second).toEqual({ text: 'reply 0', model: 'coder', finishReason: 'stop', usage: { promptTokens: 0, completionTokens: 0 } });
    expect(first.usage).toEqual({ promptTokens: 10, completionTokens: 20 });
    expect(again.stats()).toEqual({ hits: 1, misses: 0, bypassed: 0 });
  });

  it.each<[string, Partial<GenerateRequest>]>([
    ['temperature', { temperature: 0.2 }],
    ['seed', { seed: 12 }],
    ['grammar', { grammar: 'root ::= "x"' }],
    ['messages', { messages: [{ role: 'user', content: 'mutate that net' }] }],
    ['prompt instead of messages', { messages: undefined, prompt: 'mutate this net' }],
    ['maxTokens', { maxTokens: 10 }],
  ])('calls the provider again when the %s differs', async (_label, change) => {
    const dir = await cacheDir();
    const inner = new ScriptedProvider('coder');
    const llm = withReplyCache(inner, { dir });
    await llm.generate(seeded);
    await llm.generate({ ...seeded, ...change });
    expect(inner.calls).toHaveLength(2);
  });

  it('keys by model: another model does not read this one\'s replies', async () => {
    const dir = await cacheDir();
    await withReplyCache(new ScriptedProvider('coder'), { dir }).generate(seeded);
    const other = new ScriptedProvider('other');
    await withReplyCache(other, { dir }).generate(seeded);
    expect(other.calls).toHaveLength(1);
    expect(replyCacheKey({ name: 'scripted', model: 'coder' }, seeded)).not.toBe(replyCacheKey({ name: 'scripted', model: 'other' }, seeded));
  });

  it('does not cache unseeded sampling unless asked to, but does cache temperature 0', async () => {
    const dir = await cacheDir();
    const inner = new ScriptedProvider('coder');
    const llm = withReplyCache(inner, { dir });
    const unseeded = { prompt: 'x', temperature: 0.8 };
    await llm.generate(unseeded);
    await llm.generate(unseeded);
    await llm.generate({ prompt: 'x', temperature: 0 });
    await llm.generate({ prompt: 'x', temperature: 0 });
    expect(inner.calls).toHaveLength(3);
    expect(llm.stats()).toEqual({ hits: 1, misses: 1, bypassed: 2 });
    const always = withReplyCache(inner, { dir, cacheUnseeded: true });
    await always.generate(unseeded);
    await always.generate(unseeded);
    expect(inner.calls).toHaveLength(4);
  });

  it('does not store failures', async () => {
    const dir = await cacheDir();
    let fail = true;
    const inner = new ScriptedProvider('coder', () => {
      if (fail) throw new Error('boom');
      return { text: 'fine' };
    });
    const llm = withReplyCache(inner, { dir });
    await expect(llm.generate(seeded)).rejects.toThrow('boom');
    fail = false;
    expect((await llm.generate(seeded)).text).toBe('fine');
    expect(inner.calls).toHaveLength(2);
  });

  it('shares one provider call between identical calls in flight', async () => {
    const dir = await cacheDir();
    const inner = new ScriptedProvider('coder', async () => {
      await sleep(20);
      return { text: 'once' };
    });
    const llm = withReplyCache(inner, { dir });
    const results = await Promise.all([llm.generate(seeded), llm.generate(seeded), llm.generate(seeded)]);
    expect(results.map((r) => r.text)).toEqual(['once', 'once', 'once']);
    expect(inner.calls).toHaveLength(1);
  });

  it('treats a corrupt entry as a miss and rewrites it', async () => {
    const dir = await cacheDir();
    const inner = new ScriptedProvider('coder', (_r, i) => ({ text: `reply ${i}` }));
    const llm = withReplyCache(inner, { dir });
    await llm.generate(seeded);
    const key = replyCacheKey(inner, seeded);
    await writeFile(join(dir, key.slice(0, 2), `${key}.json`), '{"version":1,"key":"', 'utf8');
    expect((await llm.generate(seeded)).text).toBe('reply 1');
    expect((await withReplyCache(inner, { dir }).generate(seeded)).text).toBe('reply 1');
    expect(inner.calls).toHaveLength(2);
    // No temp files are left behind.
    expect((await readdir(join(dir, key.slice(0, 2)))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('requires a folder', () => {
    expect(() => withReplyCache(new ScriptedProvider('coder'), { dir: '' })).toThrow(/dir/);
  });
});
