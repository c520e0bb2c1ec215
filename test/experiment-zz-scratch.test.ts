import { rmSync } from 'node:fs';
import { it } from 'vitest';
import { Runner, resolveConfig, regularizedEvolution, llmatic } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { openai } from '@llmatic/provider-openai';
import { writeReport } from '@llmatic/report';
import { startOpenAIServer } from './doubles/openai-server.js';
import { nb201Reply } from './support/nb201-llm-double.js';
import { sharedTable } from './support/cli.js';

it('scratch', async () => {
  rmSync('/tmp/scr', { recursive: true, force: true });
  const config = resolveConfig({ ...nasBench201({ dataset: 'cifar10', table: sharedTable }), strategy: regularizedEvolution({ population: 50 }), generations: 10, batchSize: 20, seed: 1 });
  await Runner.start(config, { dir: '/tmp/scr/re' }).execute();
  let t = performance.now();
  const r = await writeReport('/tmp/scr/re');
  console.log('report ms', performance.now() - t, r.html, Object.keys(r.figures));
  const server = await startOpenAIServer({ models: ['coder-double'], reply: nb201Reply });
  const c2 = resolveConfig({ ...nasBench201({ dataset: 'cifar10', table: sharedTable }), llm: openai({ model: 'coder-double', baseURL: server.url, apiKey: 'x' }), strategy: llmatic(), generations: 6, batchSize: 50, seed: 1 });
  await Runner.start(c2, { dir: '/tmp/scr/llm' }).execute();
  await server.close();
  t = performance.now();
  const r2 = await writeReport('/tmp/scr/llm');
  console.log('report ms', performance.now() - t, r2.html, Object.keys(r2.figures));
}, 300_000);
