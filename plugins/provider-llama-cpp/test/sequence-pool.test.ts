import { describe, expect, it } from 'vitest';
import { Pool } from '../src/sequence-pool.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Pool', () => {
  it('runs at most as many tasks as items, each with an item of its own, and queues the rest in order', async () => {
    const pool = new Pool(['s0', 's1']);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const inUse = new Set<string>();
    let maxInUse = 0;
    const runs = gates.map((gate, i) =>
      pool.use(async (item) => {
        expect(inUse.has(item)).toBe(false);
        inUse.add(item);
        maxInUse = Math.max(maxInUse, inUse.size);
        started.push(i);
        await gate.promise;
        inUse.delete(item);
        return item;
      }),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual([0, 1]);
    gates[1]?.resolve();
    await runs[1];
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    const items = await Promise.all(runs);
    expect(maxInUse).toBe(2);
    expect(new Set(items)).toEqual(new Set(['s0', 's1']));
  });

  it('returns the item when a task fails', async () => {
    const pool = new Pool(['only']);
    await expect(pool.use(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pool.use((item) => Promise.resolve(item))).resolves.toBe('only');
  });
});
