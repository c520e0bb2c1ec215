import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChatMessage, SearchSpace } from '@llmatic/core';
import { llamaCpp, type LlamaCppProvider } from '@llmatic/provider-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyModelFixture, TEST_RUNTIME, type TinyModelFixture } from './support/fixture.js';

// The real goal of grammar support: constrained decoding of NAS-Bench-201 cells. The grammar
// belongs to @llmatic/nasbench201; this plugin does not depend on it, so the test loads the
// package's public entry when the workspace has it.

const NB201_ENTRY = fileURLToPath(new URL('../../nasbench201/src/index.ts', import.meta.url));

type SpaceFactory = (options: { dataset: 'cifar10' }) => SearchSpace<unknown>;

async function loadCellSpace(): Promise<SearchSpace<unknown> | undefined> {
  if (!existsSync(NB201_ENTRY)) return undefined;
  const mod = (await import(pathToFileURL(NB201_ENTRY).href)) as { nasBench201Space?: SpaceFactory };
  return typeof mod.nasBench201Space === 'function' ? mod.nasBench201Space({ dataset: 'cifar10' }) : undefined;
}

const space = await loadCellSpace();

describe.skipIf(space?.grammar === undefined)('NAS-Bench-201 cell grammar', () => {
  let fixture: TinyModelFixture;
  let provider: LlamaCppProvider;

  beforeAll(async () => {
    // The system prompt is long and the tiny vocabulary spends a token per character.
    fixture = await tinyModelFixture({ contextLength: 4096 });
    provider = llamaCpp({ model: fixture.modelPath, contexts: 2, contextSize: 4096, ...TEST_RUNTIME });
    await provider.check();
  });

  afterAll(async () => {
    await provider?.close();
    await fixture?.cleanup();
  });

  function mutationMessages(cellSpace: SearchSpace<unknown>): ChatMessage[] {
    const instruction = cellSpace.prompts.mutations[0]?.text ?? 'Improve the cell.';
    const user = cellSpace.prompts.mutation.chat.replaceAll('{{code}}', cellSpace.seed).replaceAll('{{instruction}}', instruction);
    return [
      { role: 'system', content: cellSpace.prompts.system },
      { role: 'user', content: user },
    ];
  }

  it('generates replies that the space extracts and compiles', async () => {
    const cellSpace = space as SearchSpace<unknown>;
    const messages = mutationMessages(cellSpace);
    const replies = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((seed) =>
        provider.generate({ messages, temperature: 1, maxTokens: 600, seed, grammar: cellSpace.grammar }),
      ),
    );
    for (const reply of replies) {
      expect(reply.constrained).toBe(true);
      expect(reply.finishReason).toBe('stop');
      expect(reply.usage.promptTokens).toBeGreaterThan(cellSpace.prompts.system.length);
      const extracted = cellSpace.extract(reply.text);
      expect(extracted, `extract failed for ${JSON.stringify(reply.text)}`).toMatchObject({ ok: true });
      if (!extracted.ok) continue;
      const compiled = await cellSpace.compiler.compile(extracted.code);
      expect(compiled, `compile failed for ${JSON.stringify(extracted.code)}`).toMatchObject({ ok: true });
    }
    // Random weights, so the replies differ: the grammar, not the model, makes them valid.
    expect(new Set(replies.map((r) => r.text)).size).toBeGreaterThan(1);
  });

  it('produces text the space rejects without the grammar', async () => {
    // The control: the same random model, unconstrained, does not write a cell.
    const cellSpace = space as SearchSpace<unknown>;
    const reply = await provider.generate({ messages: mutationMessages(cellSpace), temperature: 1, maxTokens: 120, seed: 1 });
    expect(reply.constrained).toBe(false);
    const extracted = cellSpace.extract(reply.text);
    const compiled = extracted.ok ? await cellSpace.compiler.compile(extracted.code) : extracted;
    expect(compiled.ok).toBe(false);
  });
});
