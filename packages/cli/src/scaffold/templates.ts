import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Placeholders a template may use; any other `{{...}}` (prompt templates) is left as it is. */
export interface TemplateValues {
  [key: string]: string;
}

/**
 * The CLI package's folder. Walks up from this module, which is `src/scaffold/` in the workspace
 * and `dist/` once built, so templates are found either way.
 */
export function cliPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@llmatic/cli') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the @llmatic/cli package folder (its templates/): reinstall @llmatic/cli.');
    dir = parent;
  }
}

/** A template folder of the CLI package, e.g. `plugin/common`. */
export function templateDir(name: string): string {
  return join(cliPackageRoot(), 'templates', name);
}

/** Fills the known `{{key}}` placeholders of `text`. */
export function render(text: string, values: TemplateValues): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * A template file's name in the generated project: `.tmpl` is dropped (it keeps tools from
 * reading templates as real files), `_gitignore` becomes `.gitignore` (npm never packs that name).
 */
function outputName(path: string): string {
  return path.replace(/\.tmpl$/, '').replace(/(^|\/)_gitignore$/, '$1.gitignore');
}

/** Every file under `dir`, as paths relative to it (`/`-separated), sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesUnder(dir, path) : [path];
    })
    .sort();
}

/**
 * Renders every file of template folder `from` into `to`, skipping `skip` (template metadata);
 * returns the written paths relative to `to`.
 */
export function renderTree(from: string, to: string, values: TemplateValues, skip: readonly string[] = []): string[] {
  const written: string[] = [];
  for (const file of filesUnder(from)) {
    if (skip.includes(file)) continue;
    const target = join(to, outputName(file));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, render(readFileSync(join(from, file), 'utf8'), values));
    written.push(relative(to, target));
  }
  return written;
}
