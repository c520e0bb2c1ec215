import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their sources, so they need no build step.
function workspaceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const group of ['packages', 'plugins']) {
    const root = resolve(import.meta.dirname, group);
    if (!existsSync(root)) continue;
    for (const dir of readdirSync(root)) {
      const manifest = join(root, dir, 'package.json');
      const entry = join(root, dir, 'src', 'index.ts');
      if (!existsSync(manifest) || !existsSync(entry)) continue;
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
      aliases[name] = entry;
    }
  }
  return aliases;
}

export default defineConfig({
  resolve: { alias: workspaceAliases() },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
