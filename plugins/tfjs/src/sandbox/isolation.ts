import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { RUNNER_PATH } from '../runner-location.js';
import { canWatchRss } from './rss-watch.js';

/** The uid and gid of `nobody` on Linux distributions. */
const NOBODY = 65_534;

/**
 * How sandbox children are started on this machine, found once per process: the strongest of
 * the variants below that actually starts Node and lets it read the runner.
 */
export interface Isolation {
  /** Programs that exec Node in place (same pid), e.g. `['/usr/bin/unshare', '-rn']`. */
  prefix: string[];
  /** uid/gid for the child, when this process is root and may drop them. */
  user?: { uid: number; gid: number };
  /** The child has a network namespace of its own (no interface but a loopback that is down). */
  network: 'isolated' | 'shared';
  /** The child runs as another user, so it cannot signal this process or others of ours. */
  signals: 'other-user' | 'same-user';
  /** Whether the parent can watch the child's resident memory (/proc). */
  rssWatch: boolean;
  /** What could not be had here, and why, for logs and the README's "what remains". */
  notes: string[];
}

interface Variant {
  name: string;
  prefix: string[];
  user?: { uid: number; gid: number };
  network: Isolation['network'];
}

function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const path = join(dir, program);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function variants(): Variant[] {
  const unshare = which('unshare');
  const setpriv = which('setpriv');
  const root = process.getuid?.() === 0;
  const nobody = { uid: NOBODY, gid: NOBODY };
  const list: Variant[] = [];
  if (root && unshare) list.push({ name: 'nobody in a user+network namespace', prefix: [unshare, '-rn'], user: nobody, network: 'isolated' });
  if (root && unshare && setpriv) {
    // Where unprivileged user namespaces are off: root makes the network namespace, then drops to nobody.
    list.push({
      name: 'network namespace, then nobody',
      prefix: [unshare, '-n', '--', setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'],
      network: 'isolated',
    });
  }
  if (root) list.push({ name: 'nobody', prefix: [], user: nobody, network: 'shared' });
  if (!root && unshare) list.push({ name: 'user+network namespace', prefix: [unshare, '-rn'], network: 'isolated' });
  list.push({ name: 'plain', prefix: [], network: 'shared' });
  return list;
}

/** Starts Node through the variant and checks that it can read the runner script. */
function works(variant: Variant): Promise<boolean> {
  const [command, ...args] = [...variant.prefix, process.execPath];
  const check = `require('node:fs').accessSync(${JSON.stringify(RUNNER_PATH)}, require('node:fs').constants.R_OK)`;
  return new Promise((resolve) => {
    execFile(
      command as string,
      [...args, '-e', check],
      { env: {}, timeout: 10_000, ...(variant.user ? { uid: variant.user.uid, gid: variant.user.gid } : {}) },
      (error) => resolve(error === null),
    );
  });
}

async function detect(): Promise<Isolation> {
  const notes: string[] = [];
  const all = variants();
  let chosen = all.at(-1) as Variant;
  for (const variant of all) {
    if (await works(variant)) {
      chosen = variant;
      break;
    }
    notes.push(`sandbox isolation '${variant.name}' is not available here`);
  }
  const signals = chosen.user || chosen.prefix.some((part) => part.startsWith('--reuid')) ? 'other-user' : 'same-user';
  if (chosen.network === 'shared') notes.push('sandbox children share the network (no usable unshare): loopback services are reachable after an escape');
  if (signals === 'same-user') notes.push('sandbox children run as this user (not root, so no uid to drop): they could signal its processes after an escape');
  const rssWatch = canWatchRss();
  if (!rssWatch) notes.push('no /proc: the sandbox child\'s resident memory is not watched, only its V8 heap is capped');
  return { prefix: chosen.prefix, ...(chosen.user ? { user: chosen.user } : {}), network: chosen.network, signals, rssWatch, notes };
}

let detected: Promise<Isolation> | undefined;

/**
 * The isolation sandbox children get on this machine (detected on first use, then cached). What
 * could not be had is said once, as a process warning (code `LLMATIC_TFJS_SANDBOX`).
 */
export function sandboxIsolation(): Promise<Isolation> {
  detected ??= detect().then((isolation) => {
    if (isolation.notes.length > 0) {
      process.emitWarning(`tfjs sandbox: ${isolation.notes.join('; ')}`, { code: 'LLMATIC_TFJS_SANDBOX' });
    }
    return isolation;
  });
  return detected;
}
