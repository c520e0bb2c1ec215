import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { ConfigError, LLMError } from '@llmatic/core';
import { runCommand } from './commands/run.js';
import { resumeCommand } from './commands/resume.js';

function integer(name: string, min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got "${value}".`);
    }
    return parsed;
  };
}

async function guard(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const label = error instanceof ConfigError ? 'config error' : error instanceof LLMError ? 'LLM error' : 'error';
    process.stderr.write(`${pc.red(label)}: ${message}\n`);
    if (process.env.LLMATIC_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  }
}

const program = new Command()
  .name('llmatic')
  .description('Neural architecture search with code-writing LLMs and quality-diversity search');

program
  .command('run')
  .description('start a search from a config file (default: ./llmatic.config.ts)')
  .argument('[config]', 'path to llmatic.config.ts')
  .option('-o, --out <dir>', 'run folder (default: runs/<date-time>)')
  .option('--seed <n>', 'random seed', integer('--seed', 0))
  .option('-g, --generations <n>', 'number of generations', integer('--generations', 1))
  .option('-b, --batch-size <n>', 'offspring per generation', integer('--batch-size', 1))
  .action((config: string | undefined, options: { out?: string; seed?: number; generations?: number; batchSize?: number }) =>
    guard(() => runCommand(config, options)),
  );

program
  .command('resume')
  .description('continue a stopped or crashed run from its last checkpoint')
  .argument('<run-dir>', 'the run folder')
  .option('-c, --config <file>', 'config file (default: the one the run was started with)')
  .option('-g, --generations <n>', 'extend the run to this many generations', integer('--generations', 1))
  .action((dir: string, options: { config?: string; generations?: number }) => guard(() => resumeCommand(dir, options)));

await program.parseAsync(process.argv);
