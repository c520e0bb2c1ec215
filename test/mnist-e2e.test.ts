/**
 * A short real search on MNIST through the CLI and the example config: the LLM double answers with
 * real TensorFlow.js programs (good ones, and ones broken the ways LLMs break code); networks are
 * compiled in the sandbox, trained on real digits on the wasm backend, and kept per niche. Then
 * `llmatic export` writes the elites as tfjs models that load back and score as recorded.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { RunSummary } from '@llmatic/core';
import { mnistDataset } from '@llmatic/trainer-tfjs';
import { startOpenAIServer, type LLMDouble } from './doubles/openai-server.js';
import { tfjsReply } from './support/tfjs-llm-double.js';
import { assertCliBuilt, startCli } from './support/cli.js';

interface Manifest {
  elites: { id: string; path: string | null; fitness: number; metrics: Record<string, number>; code: string }[];
}

/** A tf.io handler reading an exported model folder (tfjs in Node has no file:// loader). */
function folderHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      const weightData = new Uint8Array(readFileSync(join(dir, 'weights.bin'))).buffer;
      const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
      return { modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format ?? '', generatedBy: json.generatedBy ?? '', convertedBy: json.convertedBy ?? null };
    },
  };
}

describe('MNIST end to end (CLI, sandbox, wasm training, export)', () => {
  let server: LLMDouble;
  beforeAll(async () => {
    assertCliBuilt();
    server = await startOpenAIServer({ models: ['coder-double'], reply: tfjsReply });
  });
  afterAll(async () => server?.close());

  it('fills the archive with distinct trained elites that beat the seed, and exports them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'llmatic-mnist-'));
    const out = join(root, 'run');
    const env = {
      LLMATIC_LLM: 'openai',
      LLMATIC_MODEL: 'coder-double',
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: 'sk-test',
      LLMATIC_EPOCHS: '2',
      LLMATIC_MNIST_TRAIN: '3000',
      LLMATIC_LR: '0.05',
    };
    const run = startCli(['run', 'examples/mnist/llmatic.config.ts', '--out', out, '-g', '3', '-b', '8'], env);
    expect(await run.exit, run.output()).toBe(0);
    // The chosen backend is logged: on the terminal with the seed network, in detail in run.log.
    expect(run.output()).toMatch(/seed network: fitness 0\.\d+ \(backend wasm, dataset mnist\)/);
    expect(readFileSync(join(out, 'run.log'), 'utf8')).toMatch(/\[seed\] tfjs backend: wasm/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.evaluations).toBe(24);
    expect(summary.seedNetwork?.fitness).toBeTypeOf('number');
    expect(summary.best?.fitness).toBeGreaterThan((summary.seedNetwork?.fitness ?? 1) + 0.02);
    expect(summary.archive.elites).toBeGreaterThanOrEqual(3);
    const codes = new Set(summary.archive.members.map((m) => JSON.stringify(m.descriptors)));
    expect(codes.size).toBe(summary.archive.elites);
    // Broken programs are recorded with their reasons, and the run went on.
    expect(Object.keys(summary.failures).length).toBeGreaterThanOrEqual(2);

    const exported = join(root, 'export');
    const exportRun = startCli(['export', out, '--out', exported], {});
    expect(await exportRun.exit, exportRun.output()).toBe(0);
    const manifest = JSON.parse(readFileSync(join(exported, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.elites).toHaveLength(summary.archive.elites);
    expect(manifest.elites.every((e) => e.path !== null && e.code.includes('buildModel'))).toBe(true);

    // The best exported model scores on the validation digits exactly what training recorded.
    const best = manifest.elites[0];
    const model = await tf.loadLayersModel(folderHandler(join(exported, best?.path ?? '')));
    const { validation } = await mnistDataset({ train: 3000, validation: 1000, test: 1000 }).load();
    const images = tf.tensor4d(validation.images, [validation.labels.length, 28, 28, 1]);
    const predicted = (model.predict(images) as tf.Tensor).argMax(-1).dataSync();
    const correct = predicted.reduce((n, label, i) => n + (label === validation.labels[i] ? 1 : 0), 0);
    expect(correct / validation.labels.length).toBeCloseTo(best?.metrics.valAccuracy ?? -1, 3);
  }, 600_000);
});
