import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  RunStore,
  type CandidateRecord,
  type Checkpoint,
  type GenerationStats,
  type RunManifest,
} from '@llmatic/core';
import { archivesOf, type ArchiveData } from './archives.js';

/** One LLM call, without its prompt and reply (the report needs only the numbers). */
export interface LLMCallNumbers {
  candidateId: string;
  generation: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  error: string | null;
}

/** What `summary.json` says about the run's state; `unknown` when it has none yet. */
export type RunState = 'running' | 'completed' | 'stopped' | 'unknown';

/** Everything a report draws, read from a run folder at one moment. */
export interface RunData {
  dir: string;
  manifest: RunManifest;
  state: RunState;
  stopReason: string | null;
  /** All candidates, the seed (generation -1) first, in generation and index order. */
  candidates: CandidateRecord[];
  /** Per checkpoint, oldest first; generation -1 is the seed's. */
  stats: GenerationStats[];
  llmCalls: LLMCallNumbers[];
  checkpoint: Checkpoint | undefined;
  archives: {
    /** The strategy's network archive (LLMatic), else the run's result archive. */
    networks: ArchiveData | undefined;
    /** The strategy's prompt archive (LLMatic). */
    prompts: ArchiveData | undefined;
  };
  /** When the folder was read (ISO time). */
  readAt: string;
}

const summaryStateSchema = z.object({
  status: z.enum(['running', 'completed', 'stopped']),
  stopReason: z.string().optional(),
});

function readState(dir: string): { state: RunState; stopReason: string | null } {
  const file = join(dir, 'summary.json');
  if (!existsSync(file)) return { state: 'unknown', stopReason: null };
  try {
    const parsed = summaryStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return { state: parsed.data.status, stopReason: parsed.data.stopReason ?? null };
  } catch {
    // A summary being rewritten at this instant: the store is the source of truth anyway.
  }
  return { state: 'unknown', stopReason: null };
}

/**
 * Reads a run folder for a report. The store is opened read-only, so this works while the run
 * is still going (SQLite WAL lets a reader see the last committed state).
 */
export function loadRunData(dir: string): RunData {
  const store = RunStore.open(dir, { readonly: true });
  try {
    const manifest = store.manifest();
    const checkpoint = store.lastCheckpoint();
    const llmCalls = store.llmCalls().map(
      (call): LLMCallNumbers => ({
        candidateId: call.candidateId,
        generation: call.generation,
        promptTokens: call.promptTokens,
        completionTokens: call.completionTokens,
        latencyMs: call.latencyMs,
        error: call.error,
      }),
    );
    return {
      dir,
      manifest,
      ...readState(dir),
      candidates: store.candidates(),
      stats: store.generationStats(),
      llmCalls,
      checkpoint,
      archives: archivesOf(manifest, checkpoint),
      readAt: new Date().toISOString(),
    };
  } finally {
    store.close();
  }
}
