import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { PluginKind, PluginNames } from './plugin-name.js';
import { cliPackageRoot, render, renderTree, templateDir, type TemplateValues } from './templates.js';

/** `templates/plugin/<kind>/kind.json`: what a kind adds to the common package. */
const kindSchema = z.object({
  description: z.string(),
  dependencies: z.record(z.string(), z.string()),
  devDependencies: z.record(z.string(), z.string()),
  usage: z.array(z.string()),
  runNote: z.string(),
});

const manifestSchema = z.looseObject({
  dependencies: z.record(z.string(), z.string()).default({}),
  devDependencies: z.record(z.string(), z.string()).default({}),
});

const sorted = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The version of the LLMatic packages a generated plugin depends on: the kernel this CLI was
 * released with.
 */
export function llmaticVersion(): string {
  const manifest = JSON.parse(readFileSync(join(cliPackageRoot(), 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const core = manifest.dependencies?.['@llmatic/core'];
  if (!core) throw new Error('@llmatic/cli declares no @llmatic/core dependency: reinstall @llmatic/cli.');
  return core.replace(/^[\^~]/, '');
}

/** Refuses to write into a folder that has files, so nothing is overwritten. */
export function assertEmptyTarget(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`${dir} already exists and is not empty: pass another folder (--dir) or remove it.`);
  }
}

/** Writes a plugin package of `kind` into `dir`; returns the files written. */
export function generatePlugin(dir: string, kind: PluginKind, names: PluginNames): string[] {
  assertEmptyTarget(dir);
  const base: TemplateValues = { ...names, kind, llmaticVersion: llmaticVersion() };
  const kindFile = join(templateDir(`plugin/${kind}`), 'kind.json');
  const spec = kindSchema.parse(JSON.parse(render(readFileSync(kindFile, 'utf8'), base)));
  const values: TemplateValues = {
    ...base,
    description: spec.description,
    usage: render(spec.usage.join('\n'), base),
    runNote: spec.runNote,
  };
  const written = [
    ...renderTree(templateDir('plugin/common'), dir, values, ['package.json.tmpl']),
    ...renderTree(templateDir(`plugin/${kind}`), dir, values, ['kind.json']),
  ];
  const raw: unknown = JSON.parse(render(readFileSync(join(templateDir('plugin/common'), 'package.json.tmpl'), 'utf8'), values));
  const common = manifestSchema.parse(raw);
  // Assigned over the template's own keys, so the fields keep the template's order.
  const manifest = {
    ...(raw as Record<string, unknown>),
    dependencies: sorted({ '@llmatic/core': `^${base.llmaticVersion}`, ...common.dependencies, ...spec.dependencies }),
    devDependencies: sorted({ ...common.devDependencies, ...spec.devDependencies }),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return [...written, 'package.json'].sort();
}
