import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import pc from 'picocolors';
import { ConfigError, type ResolvedConfig } from '@llmatic/core';
import {
  experimentVariants,
  parseAblations,
  parseStrategies,
  runExperiment,
  type ExperimentEvent,
  type ExperimentVariant,
} from '@llmatic/report';
import { guard, integer } from '../cli-args.js';
import { ProgressDisplay } from '../progress/progress-display.js';
import { stopOnInterrupt } from '../interrupts.js';
import { loadResolvedConfig } from './load.js';
import { shown } from './report.js';

export interface ExperimentFlags {
  seeds: number;
  ablations?: string;
  strategies: string;
  out?: string;
  generations?: number;
  batchSize?: number;
}

function defaultExperimentDir(): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  return resolve('runs', `experiment-${stamp}`);
}

/** Stops early, before any run folder exists, when the config cannot serve every variant. */
function checkVariants(config: ResolvedConfig, variants: readonly ExperimentVariant[], file: string): void {
  const llmVariants = variants.filter((v) => v.strategy.usesLLM).map((v) => v.name);
  if (llmVariants.length > 0 && !config.llm) {
    throw new ConfigError(`${file}: the variants ${llmVariants.join(', ')} need an LLM; add \`llm\` to the config, or leave llmatic out of --strategies.`);
  }
  const baselines = variants.filter((v) => !v.strategy.usesLLM).map((v) => v.name);
  if (baselines.length > 0 && !config.space.operators) {
    throw new ConfigError(
      `${file}: the variants ${baselines.join(', ')} need a search space with \`operators\` (random and mutate), and the "${config.space.name}" space has none; leave random and evolution out of --strategies.`,
    );
  }
}

function describe(event: ExperimentEvent): string {
  if (event.type === 'run') {
    const verb = event.action === 'skip' ? pc.dim('finished, skipped') : event.action === 'resume' ? pc.yellow('resuming') : 'starting';
    return `${pc.bold(`[${event.index}/${event.total}]`)} ${event.variant} seed ${event.seed}: ${verb}  (${shown(event.dir)})\n`;
  }
  const best = event.summary.best;
  return `  ${event.summary.status === 'completed' ? pc.green('done') : pc.yellow('stopped')}: ${event.summary.evaluations} evaluations, best fitness ${best ? best.fitness.toFixed(4) : '-'}\n`;
}

/** The command that continues this experiment. */
function resumeCommand(file: string, out: string, flags: ExperimentFlags): string {
  const parts = ['llmatic experiment', shown(file), `--seeds ${flags.seeds}`, `--strategies ${flags.strategies}`];
  if (flags.ablations) parts.push(`--ablations ${flags.ablations}`);
  if (flags.generations) parts.push(`--generations ${flags.generations}`);
  if (flags.batchSize) parts.push(`--batch-size ${flags.batchSize}`);
  parts.push(`--out ${shown(out)}`);
  return parts.join(' ');
}

/** `llmatic experiment CONFIG --seeds N ...`: runs every variant for every seed, then the tables. */
export async function experimentCommand(configPath: string, flags: ExperimentFlags): Promise<number> {
  const overrides = { generations: flags.generations, batchSize: flags.batchSize };
  const { file, config } = await loadResolvedConfig(configPath, overrides);
  const strategies = parseStrategies(flags.strategies);
  const ablations = flags.ablations ? parseAblations(flags.ablations) : [];
  const variants = experimentVariants({ strategies, ablations, base: config.strategy });
  checkVariants(config, variants, file);
  await config.evaluator.check?.();
  if (variants.some((v) => v.strategy.usesLLM)) await config.llm?.check?.();
  await config.llm?.close?.();
  const out = resolve(flags.out ?? defaultExperimentDir());
  process.stderr.write(`${pc.bold('llmatic experiment')}: ${variants.map((v) => v.name).join(', ')} x ${flags.seeds} seeds in ${shown(out)}\n`);

  const controller = new AbortController();
  const release = stopOnInterrupt(controller);
  let display = new ProgressDisplay();
  try {
    const outcome = await runExperiment({
      out,
      seeds: flags.seeds,
      variants,
      loadConfig: async () => (await loadResolvedConfig(file, overrides)).config,
      configPath: file,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'run') display = new ProgressDisplay();
        else display.stop();
        process.stderr.write(describe(event));
      },
      onRunEvent: (event) => display.handle(event),
    });
    process.stdout.write(`${readFileSync(outcome.files.markdown, 'utf8')}\n`);
    process.stderr.write(`results: ${shown(outcome.files.markdown)}, ${shown(outcome.files.json)}, figures in ${shown(resolve(out, 'figures'))}\n`);
    if (!outcome.completed) {
      process.stderr.write(`${pc.yellow('stopped')}: ${outcome.stopReason ?? ''}\ncontinue with: ${resumeCommand(file, out, flags)}\n`);
      return controller.signal.aborted ? 130 : 1;
    }
    return 0;
  } finally {
    display.stop();
    release();
  }
}

/** The `experiment` command. */
export function experimentCli(): Command {
  return new Command('experiment')
    .description('run several seeds of LLMatic, its ablations and LLM-free baselines; write mean ± sd tables and figures')
    .argument('<config>', 'path to llmatic.config.ts (its space, evaluator, llm, generations, batch size, seed)')
    .requiredOption('-s, --seeds <n>', 'runs per variant (seeds config.seed, config.seed + 1, ...)', integer('--seeds', 1))
    .option('--strategies <list>', 'comma-separated: llmatic, random, evolution', 'llmatic,random,evolution')
    .option('--ablations <list>', 'LLMatic ablations: "all" or comma-separated names (e.g. mutation-only,crossover-only)')
    .option('-o, --out <dir>', 'experiment folder (default: runs/experiment-<date-time>); rerun with the same folder to resume')
    .option('-g, --generations <n>', 'generations per run (overrides the config)', integer('--generations', 1))
    .option('-b, --batch-size <n>', 'offspring per generation (overrides the config)', integer('--batch-size', 1))
    .action((config: string, flags: ExperimentFlags) => guard(() => experimentCommand(config, flags)));
}
