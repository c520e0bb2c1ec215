/**
 * The README's run command on a machine with no LLM server: the NAS-Bench-201 example falls back
 * to the embedded llama.cpp provider with grammar-constrained decoding, so every reply of even a
 * random-weight model is a valid cell. The model is a tiny GGUF the test writes (no download).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore, type RunSummary } from '@llmatic/core';
import { tinyModelFixture, type TinyModelFixture } from '../plugins/provider-llama-cpp/test/support/fixture.js';
import { assertCliBuilt, sharedTable, startCli } from './support/cli.js';

describe.skipIf(!existsSync(sharedTable))('NAS-Bench-201 example without an LLM server', () => {
  let model: TinyModelFixture;
  beforeAll(async () => {
    assertCliBuilt();
    // Its tokenizer has one token per character: the prompts need a long context.
    model = await tinyModelFixture({ contextLength: 4096 });
  });
  afterAll(async () => model?.cleanup());

  it('uses the embedded provider with the cell grammar: every reply parses', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'llmatic-embedded-')), 'run');
    const cli = startCli(['run', 'examples/nasbench201/llmatic.config.ts', '--out', out, '-g', '1', '-b', '6'], {
      OLLAMA_HOST: 'http://127.0.0.1:9', // nothing listens there
      LLMATIC_MODEL: model.modelPath,
      LLMATIC_NB201_TABLE: sharedTable,
      // The paper's warm-up asks the LLM for every offspring (the recommended preset starts from random cells).
      LLMATIC_PRESET: 'paper',
    });
    expect(await cli.exit, cli.output()).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.llm?.provider).toBe('llama-cpp');
    expect(summary.evaluations).toBe(6);
    expect(summary.failures).toEqual({});
    const store = RunStore.open(out, { readonly: true });
    const calls = store.llmCalls();
    store.close();
    expect(calls).toHaveLength(6);
    expect(calls.every((c) => c.constrained && c.completionTokens > 0)).toBe(true);
  }, 300_000);
});
