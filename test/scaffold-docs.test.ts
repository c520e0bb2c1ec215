/**
 * The plugin guides' examples (docs/plugins/examples/*.ts) typecheck against the built packages
 * as a user's code would, and each guide shows its example's code verbatim.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/cli.js';

const run = promisify(execFile);
const docs = join(repoRoot, 'docs/plugins');
const kinds = ['evaluator', 'provider', 'space', 'executor', 'strategy'];

describe('plugin guides', () => {
  it('typecheck their examples', async () => {
    const tsc = join(repoRoot, 'node_modules/.bin/tsc');
    const errors = await run(tsc, ['-p', join(docs, 'examples/tsconfig.json')], { cwd: repoRoot }).then(
      () => '',
      (error: Error & { stdout?: string }) => error.stdout || error.message,
    );
    expect(errors).toBe('');
  }, 120_000);

  it.each(kinds)('%s.md shows examples/%s.ts verbatim', (kind) => {
    const page = readFileSync(join(docs, `${kind}.md`), 'utf8');
    const code = readFileSync(join(docs, 'examples', `${kind}.ts`), 'utf8').trimEnd();
    expect(page).toContain(code);
  });

  it('are all linked from the index', () => {
    const index = readFileSync(join(docs, 'README.md'), 'utf8');
    for (const kind of kinds) expect(index).toContain(`(${kind}.md)`);
  });
});
