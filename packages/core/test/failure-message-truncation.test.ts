/** Issue 9, class 6: untrusted failure text is cut to a few KB before the run store keeps it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FAILURE_MESSAGE_CHARS, RunStore, truncateFailureMessage, type CandidateRecord, type RunManifest } from '@llmatic/core';

/** What a hostile program threw: 2.3 MB, as seen in the attack of issue 9. */
const HUGE = `Error: ${'A'.repeat(2_300_000)}`;

describe('truncateFailureMessage', () => {
  it('keeps a message of a few KB as it is', () => {
    const message = 'compile: buildModel threw TypeError: x is undefined';
    expect(truncateFailureMessage(message)).toBe(message);
    const atLimit = 'x'.repeat(MAX_FAILURE_MESSAGE_CHARS);
    expect(truncateFailureMessage(atLimit)).toBe(atLimit);
  });

  it('cuts a huge message to the limit, keeping its start and saying how much was cut', () => {
    const cut = truncateFailureMessage(HUGE);
    expect(MAX_FAILURE_MESSAGE_CHARS).toBe(4_096);
    expect(cut.length).toBeLessThanOrEqual(MAX_FAILURE_MESSAGE_CHARS);
    const marker = / \[\.\.\. ([\d,]+) more characters cut\]$/.exec(cut);
    expect(marker).not.toBeNull();
    const kept = cut.slice(0, marker?.index);
    expect(HUGE.startsWith(kept)).toBe(true);
    expect(kept.length + Number(marker?.[1]?.replace(/,/g, ''))).toBe(HUGE.length);
    expect(kept.length).toBeGreaterThan(4_000);
  });

  it('is idempotent and never splits a surrogate pair', () => {
    const cut = truncateFailureMessage(HUGE);
    expect(truncateFailureMessage(cut)).toBe(cut);
    for (let max = 40; max < 60; max++) {
      const emoji = truncateFailureMessage('\u{1F600}'.repeat(100), max);
      expect(emoji.length).toBeLessThanOrEqual(max);
      expect(emoji).toMatch(/^(?:\u{1F600})* \[\.\.\. [\d,]+ more characters cut\]$/u);
    }
  });
});

describe('the run store', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const manifest: RunManifest = {
    version: 1,
    createdAt: new Date(0).toISOString(),
    configPath: null,
    seed: 1,
    generations: 1,
    batchSize: 1,
    strategy: { name: 'test', options: {} },
    space: 'test',
    language: 'text',
    evaluator: 'test',
    llm: null,
    descriptors: [],
    niches: 1,
    promptStyle: 'chat',
  };
  const candidate = (id: string, failureMessage: string | null): CandidateRecord => ({
    id,
    generation: 0,
    index: 0,
    operator: 'mutation',
    parents: [],
    promptId: null,
    temperature: null,
    code: 'program',
    ok: false,
    failureReason: 'compile',
    failureMessage,
    fitness: null,
    descriptors: null,
    metrics: null,
    info: null,
    status: null,
    evaluationMs: 1,
  });

  it('keeps a few KB of a huge failure message, of a candidate and of an LLM call', () => {
    dir = mkdtempSync(join(tmpdir(), 'llmatic-truncation-'));
    const store = RunStore.create(join(dir, 'run'), manifest);
    store.recordCandidate(candidate('g0-0', HUGE));
    store.recordCandidate(candidate('g0-1', 'short and whole'));
    store.recordLLMCall({
      candidateId: 'g0-0',
      generation: 0,
      promptId: null,
      provider: 'openai',
      model: 'm',
      request: {},
      reply: null,
      temperature: 0.5,
      promptTokens: 0,
      completionTokens: 0,
      latencyMs: 1,
      constrained: false,
      error: `HTTP 500: ${HUGE}`,
    });
    const stored = store.candidate('g0-0')?.failureMessage ?? '';
    expect(stored).toBe(truncateFailureMessage(HUGE));
    expect(stored).toContain('more characters cut]');
    expect(store.candidate('g0-1')?.failureMessage).toBe('short and whole');
    const error = store.llmCalls()[0]?.error ?? '';
    expect(error.length).toBeLessThanOrEqual(MAX_FAILURE_MESSAGE_CHARS);
    expect(error).toMatch(/^HTTP 500: Error: A+ \[\.\.\. [\d,]+ more characters cut\]$/);
    store.close();
  });
});
