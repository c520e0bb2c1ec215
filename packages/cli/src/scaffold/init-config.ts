import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TableFound } from './find-table.js';
import { render, templateDir } from './templates.js';

/** What each way of finding the table means for the config and its reader. */
function tableValues(table: TableFound): { tableOption: string; tableNote: string } {
  switch (table.where) {
    case 'option':
    case 'beside':
      return { tableOption: `, table: ${JSON.stringify(table.file)}`, tableNote: `${table.file} (the table option below).` };
    case 'env':
      return { tableOption: '', tableNote: `found through LLMATIC_NB201_TABLE (${table.file}).` };
    case 'cache':
      return { tableOption: '', tableNote: `found in the cache (${table.file}).` };
    case 'nowhere':
      return {
        tableOption: '',
        tableNote:
          'not found when this file was written; the first run builds it from its public sources into ~/.cache/llmatic (needs internet), or set LLMATIC_NB201_TABLE=/path/to/nb201.csv.gz.',
      };
  }
}

/** Writes `<dir>/llmatic.config.ts`: a random search on NAS-Bench-201 that needs no LLM. */
export function writeInitConfig(dir: string, table: TableFound, force: boolean): string {
  const file = join(dir, 'llmatic.config.ts');
  if (existsSync(file) && !force) throw new Error(`${file} already exists: pass --force to replace it.`);
  const template = readFileSync(join(templateDir('init'), 'llmatic.config.ts'), 'utf8');
  const strategyNote = 'random search (no LLM needed), 10 generations x 50 cells.';
  writeFileSync(file, render(template, { ...tableValues(table), strategyNote }));
  return file;
}
