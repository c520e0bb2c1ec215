import { InvalidArgumentError } from 'commander';

/** `llmatic worker`'s operands and the flags it hands to the config's executor. */
export interface WorkerArguments {
  config: string | undefined;
  /** `--name value` / `--name=value` pairs the CLI does not know, by name without dashes. */
  settings: Record<string, string>;
}

const FLAG = /^--([A-Za-z][\w-]*)(?:=(.*))?$/s;

/**
 * Splits what commander left over (operands and unknown options) into the config path and the
 * executor's flags. The CLI knows no executor, so it cannot tell a flag's arity: every executor
 * flag takes a value, `--name value` or `--name=value`.
 */
export function splitWorkerArguments(args: readonly string[]): WorkerArguments {
  const settings: Record<string, string> = {};
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const flag = FLAG.exec(arg);
    if (!flag) {
      if (arg.startsWith('-')) throw new InvalidArgumentError(`Unknown option ${arg}: executor options are written --name value.`);
      operands.push(arg);
      continue;
    }
    const name = flag[1] as string;
    const value = flag[2] ?? args[++i];
    if (value === undefined || (flag[2] === undefined && value.startsWith('--'))) {
      throw new InvalidArgumentError(`--${name} needs a value (--${name} VALUE).`);
    }
    if (name in settings) throw new InvalidArgumentError(`--${name} is given twice.`);
    settings[name] = value;
  }
  if (operands.length > 1) {
    throw new InvalidArgumentError(`llmatic worker takes one config file, got ${operands.map((o) => `"${o}"`).join(' and ')}.`);
  }
  return { config: operands[0], settings };
}
