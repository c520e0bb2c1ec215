import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { Runner, RunStore, resolveConfig, regularizedEvolution, randomSearch } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { sharedTable } from './support/cli.js';

it('times', async () => {
  for (const [name, strategy, g, b] of [['re', regularizedEvolution({ population: 100 }), 50, 10], ['rs', randomSearch(), 5, 100]] as const) {
    const dir = join(mkdtempSync(join(tmpdir(), 'x-')), 'run');
    const config = resolveConfig({ ...nasBench201({ dataset: 'cifar10', table: sharedTable }), strategy, generations: g, batchSize: b, seed: 1 });
    const t = performance.now();
    const s = await Runner.start(config, { dir }).execute();
    console.log(name, performance.now() - t, s.best?.metrics.testAccuracy, s.evaluations);
  }
});
