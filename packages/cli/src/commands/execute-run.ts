import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import type { LLMProvider, RunEvent, Runner, RunSummary } from '@llmatic/core';
import { ProgressDisplay } from '../progress/progress-display.js';
import { stopOnInterrupt } from '../interrupts.js';

/**
 * Runs (or resumes) with live progress. The first Ctrl-C stops after the finished work is
 * saved (resume continues from there); a second one exits at once.
 */
export async function executeRun(
  create: (options: { signal: AbortSignal; onEvent: (event: RunEvent) => void }) => Runner,
  llm: LLMProvider | undefined,
): Promise<{ summary: RunSummary; interrupted: boolean }> {
  const display = new ProgressDisplay();
  const controller = new AbortController();
  // Evaluators' progress messages (backend, epochs) go to the run's log file, not the terminal.
  let runLog: string | undefined;
  const onEvent = (event: RunEvent) => {
    if (event.type === 'log') {
      if (runLog) appendFileSync(runLog, `${new Date().toISOString()} [${event.candidateId}] ${event.message}\n`);
      return;
    }
    display.handle(event);
  };
  const runner = create({ signal: controller.signal, onEvent });
  runLog = join(runner.dir, 'run.log');
  process.stderr.write(`run folder: ${runner.dir} (evaluator messages: run.log)\n`);
  const release = stopOnInterrupt(controller);
  try {
    const summary = await runner.execute();
    return { summary, interrupted: controller.signal.aborted };
  } finally {
    display.stop();
    await llm?.close?.();
    release();
  }
}

export function reportSummary(summary: RunSummary): void {
  const best = summary.best;
  const lines = [
    '',
    `${pc.bold(summary.status === 'completed' ? pc.green('done') : pc.yellow('stopped'))}: ${summary.generations.completed}/${summary.generations.planned} generations, ${summary.evaluations} evaluations, ${Object.values(summary.failures).reduce((a, b) => a + (b ?? 0), 0)} failed`,
    best ? `best fitness ${best.fitness.toFixed(4)} (${best.id})` : 'no valid network yet',
    `archive: ${summary.archive.elites} elites, coverage ${(100 * summary.archive.coverage).toFixed(0)}%, QD-score ${summary.archive.qdScore.toFixed(2)}`,
    `tokens: ${summary.tokens.total} in ${summary.tokens.calls} calls`,
    `results: ${summary.dir}/summary.json`,
  ];
  if (summary.status === 'stopped') {
    lines.push(`${pc.yellow('reason')}: ${summary.stopReason ?? 'stopped'}`, `continue with: llmatic resume ${summary.dir}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}
