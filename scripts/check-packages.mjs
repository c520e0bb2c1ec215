// `npm run check:packages`: every publishable workspace package passes publint (strict),
// @arethetypeswrong/cli (ESM-only profile) and `npm publish --dry-run`, and `changeset version`
// bumps the right packages for a kernel change. Needs the packages built (`npm run build`).
// Arguments: package names to check (default: all).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { kernelBumpProblems } from './check-changeset-bumps.mjs';
import { repoRoot, workspacePackages } from './workspace-packages.mjs';

const run = promisify(execFile);
const bin = (name) => join(repoRoot, 'node_modules/.bin', name);

/** The checks, each a command run in the package folder. */
const CHECKS = [
  { name: 'publint', command: bin('publint'), args: ['--strict', '--level', 'suggestion'] },
  // ESM-only packages: CommonJS `require` of them is not supported, so node10/node16-cjs are not checked.
  { name: 'attw', command: bin('attw'), args: ['--pack', '.', '--profile', 'esm-only', '--format', 'ascii', '--no-color'] },
  { name: 'npm publish --dry-run', command: 'npm', args: ['publish', '--dry-run', '--ignore-scripts'] },
];

async function check(dir, { name, command, args }) {
  try {
    await run(command, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    return undefined;
  } catch (error) {
    return `${name} failed:\n${[error.stdout, error.stderr].filter(Boolean).join('\n').trim()}`;
  }
}

// `node scripts/check-packages.mjs @llmatic/core @llmatic/cli` checks only those.
const only = process.argv.slice(2);
const packages = workspacePackages().filter(({ manifest }) => only.length === 0 || only.includes(manifest.name));
const unbuilt = packages.filter(({ dir, manifest }) => manifest.files?.includes('dist') && !existsSync(join(dir, 'dist')));
if (unbuilt.length > 0) {
  console.error(`Not built: ${unbuilt.map(({ manifest }) => manifest.name).join(', ')}. Run \`npm run build\` first.`);
  process.exit(1);
}

let failed = 0;
// One package at a time, its three checks side by side: `npm pack` is I/O bound and the
// machine is shared.
for (const { dir, manifest } of packages) {
  const problems = (await Promise.all(CHECKS.map((c) => check(dir, c)))).filter(Boolean);
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${manifest.name} (${relative(repoRoot, dir)})`);
  for (const problem of problems) console.log(problem.replace(/^/gm, '     '));
  if (problems.length > 0) failed += 1;
}

const bumpProblems = ['patch', 'minor'].flatMap((bump) => kernelBumpProblems(bump).map((p) => `${bump} kernel change: ${p}`));
console.log(`${bumpProblems.length === 0 ? 'ok  ' : 'FAIL'} changeset version bumps every dependent of a changed kernel`);
for (const problem of bumpProblems) console.log(`     ${problem}`);

if (failed > 0 || bumpProblems.length > 0) {
  console.error(`\n${failed} package(s) and ${bumpProblems.length} release-plan problem(s): see above.`);
  process.exit(1);
}
console.log(`\nAll ${packages.length} packages are publishable.`);
