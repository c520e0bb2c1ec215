// The publishable packages of this repository: every workspace folder (root package.json
// `workspaces`, one level of `dir/*`) whose package.json is not private.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..');

/** @returns {{ dir: string, manifest: Record<string, any> }[]} */
export function workspacePackages(root = repoRoot) {
  const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const packages = [];
  for (const pattern of workspaces) {
    if (!pattern.endsWith('/*')) throw new Error(`scripts/workspace-packages.mjs understands "dir/*" workspaces only, got "${pattern}".`);
    const parent = join(root, pattern.slice(0, -2));
    for (const name of readdirSync(parent).sort()) {
      const file = join(parent, name, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      if (!manifest.private) packages.push({ dir: join(parent, name), manifest });
    }
  }
  return packages;
}
