/**
 * A report of a run that has barely started (only the seed network checkpointed, a generation
 * half done) renders, and says what is and is not there yet.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Runner, randomSearch, resolveConfig, type RunEvent } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { writeReport } from '@llmatic/report';
import { sharedTable } from './support/cli.js';

const hasTable = existsSync(sharedTable);
if (!hasTable) console.warn(`SKIPPED early-run report test: no NAS-Bench-201 table at ${sharedTable}`);
const root = mkdtempSync(join(tmpdir(), 'llmatic-early-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!hasTable)('a report of a run that has barely started', () => {
  it('renders with the seed network only, then with a generation in progress', async () => {
    const dir = join(root, 'run');
    const config = () =>
      resolveConfig({ ...nasBench201({ dataset: 'cifar10', table: sharedTable }), strategy: randomSearch(), generations: 3, batchSize: 20, seed: 2, concurrency: { evaluations: 1 } });
    const controller = new AbortController();
    let seen = 0;
    const onEvent = (event: RunEvent) => {
      if (event.type === 'offspring' && event.generation === 0 && ++seen === 7) controller.abort();
    };
    const summary = await Runner.start(config(), { dir, signal: controller.signal, onEvent }).execute();
    expect(summary.status).toBe('stopped');

    const report = await writeReport(dir);
    expect(report.model.generationsCompleted).toBe(0);
    expect(report.model.best).toBeUndefined();
    expect(report.model.inProgress).toBe(report.model.evaluations);
    expect(report.model.evaluations).toBeGreaterThanOrEqual(7);
    const html = readFileSync(report.html, 'utf8');
    expect(html).toContain('0 of 3 (batch 20)');
    expect(html).toContain('in the unfinished generation');
    expect(html).toContain('No elite yet.');
    // The offspring so far are drawn; the archive is still empty (nothing checkpointed after the seed).
    expect(Object.keys(report.figures)).toEqual(['best-fitness', 'anytime', 'network-archive', 'offspring', 'coverage-qd']);
    expect(html).toContain('0 of 100 niches filled');
    for (const file of Object.values(report.figures)) expect(readFileSync(file, 'utf8')).toMatch(/^<svg/);

    await Runner.resume(config(), { dir }).execute();
    const done = await writeReport(dir, { out: join(root, 'done.html') });
    expect(done.model.generationsCompleted).toBe(3);
    expect(done.model.inProgress).toBe(0);
    expect(Object.keys(done.figures)).toEqual(['best-fitness', 'anytime', 'network-archive', 'offspring', 'coverage-qd']);
    expect(existsSync(join(root, 'done-figures', 'network-archive.svg'))).toBe(true);
  });
});
