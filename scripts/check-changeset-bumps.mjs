// `changeset version` on a kernel change, in a temporary copy of the workspace manifests: the
// kernel takes the bump its changeset asks for, and every package that depends on it gets a
// patch bump with its dependency moved to the new version (so no published plugin is left
// pinned to the old kernel). Run by `npm run check:packages`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot, workspacePackages } from './workspace-packages.mjs';

const KERNEL = '@llmatic/core';
const bin = join(repoRoot, 'node_modules/.bin/changeset');

const allDependencies = (manifest) => ({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies });

/** Runs `changeset version` for one "<bump>" change of the kernel; returns the new manifests by name. */
function versionAfterKernelChange(bump) {
  const dir = mkdtempSync(join(tmpdir(), 'llmatic-changeset-'));
  try {
    writeFileSync(join(dir, 'package.json'), readFileSync(join(repoRoot, 'package.json')));
    mkdirSync(join(dir, '.changeset'));
    cpSync(join(repoRoot, '.changeset/config.json'), join(dir, '.changeset/config.json'));
    for (const { dir: packageDir } of workspacePackages()) {
      const copy = join(dir, relative(repoRoot, packageDir));
      mkdirSync(copy, { recursive: true });
      cpSync(join(packageDir, 'package.json'), join(copy, 'package.json'));
    }
    writeFileSync(join(dir, '.changeset/kernel-change.md'), `---\n'${KERNEL}': ${bump}\n---\n\nA kernel change.\n`);
    execFileSync(bin, ['version'], { cwd: dir, stdio: 'pipe' });
    return new Map(workspacePackages(dir).map(({ manifest }) => [manifest.name, manifest]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const nextVersion = (version, bump) => {
  const [major, minor, patch] = version.split('.').map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
};

/** Problems with the release plan of a `bump` kernel change, as sentences. */
export function kernelBumpProblems(bump) {
  const before = new Map(workspacePackages().map(({ manifest }) => [manifest.name, manifest]));
  const after = versionAfterKernelChange(bump);
  const kernelVersion = nextVersion(before.get(KERNEL).version, bump);
  const problems = [];
  if (after.get(KERNEL).version !== kernelVersion) {
    problems.push(`${KERNEL} went to ${after.get(KERNEL).version}, expected ${kernelVersion} for a ${bump} changeset.`);
  }
  for (const [name, manifest] of before) {
    const range = allDependencies(manifest)[KERNEL];
    if (name === KERNEL || range === undefined) continue;
    const updated = after.get(name);
    const newRange = allDependencies(updated)[KERNEL];
    if (!newRange?.includes(kernelVersion)) problems.push(`${name} still depends on ${KERNEL}@${newRange} after the kernel went to ${kernelVersion}.`);
    if (updated.version === manifest.version) problems.push(`${name} depends on ${KERNEL} but was not bumped (still ${manifest.version}).`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = ['patch', 'minor'].flatMap((bump) => kernelBumpProblems(bump).map((p) => `${bump}: ${p}`));
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error('Fix .changeset/config.json (updateInternalDependencies) or the internal dependency ranges.');
    process.exit(1);
  }
  console.log('changeset version: a kernel patch or minor bumps every dependent package and its dependency range.');
}
