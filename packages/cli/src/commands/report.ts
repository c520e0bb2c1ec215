import { isAbsolute, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { writeReport } from '@llmatic/report';
import { guard } from '../cli-args.js';

/** A path as the user would type it: relative to the working folder when inside it. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** `llmatic report RUN_DIR [--out FILE]`. Reads the run read-only, so it works on a running search. */
export async function reportCommand(runDir: string, options: { out?: string }): Promise<number> {
  const result = await writeReport(resolve(runDir), options.out ? { out: resolve(options.out) } : {});
  const figures = Object.values(result.figures);
  process.stderr.write(
    `report: ${shown(result.html)}\n` +
      `figures: ${figures.length} SVG files in ${shown(resolve(figures[0] ?? result.html, '..'))}\n`,
  );
  process.stdout.write(`${result.html}\n`);
  return 0;
}

/** The `report` command. */
export function reportCli(): Command {
  return new Command('report')
    .description('write an HTML report of a run (works while it runs): figures, archive maps, elites and their code')
    .argument('<run-dir>', 'the run folder')
    .option('-o, --out <file>', 'HTML file to write (default: <run-dir>/report.html); figures go to <name>-figures/ beside it')
    .action((dir: string, options: { out?: string }) => guard(() => reportCommand(dir, options)));
}
