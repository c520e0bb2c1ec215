import { openSync, readdirSync, readFileSync } from 'node:fs';
import type { StdioOptions } from 'node:child_process';

/** `O_CLOEXEC` in the octal `flags:` line of /proc/self/fdinfo (Linux). */
const O_CLOEXEC = 0o2000000;

/**
 * Descriptors above stderr that this process holds without close-on-exec, so that every child
 * it spawns inherits them (Node opens its own with close-on-exec; these come from whoever
 * started this process: a shell, a CI runner, a supervisor). Empty where /proc is missing.
 */
export function inheritableFds(): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc/self/fdinfo');
  } catch {
    return [];
  }
  const fds: number[] = [];
  for (const name of names) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd <= 2) continue;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${name}`, 'utf8'));
      if (flags && (parseInt(flags[1] as string, 8) & O_CLOEXEC) === 0) fds.push(fd);
    } catch {
      // Closed between the listing and the read (the listing's own descriptor, for one).
    }
  }
  return fds.sort((a, b) => a - b);
}

let devNull: number | undefined;

/**
 * stdio for a sandbox child: pipes for stdin (the request), stdout (the reply) and stderr, and
 * /dev/null over every inherited descriptor, so the child holds nothing else of its parent's.
 * (`'ignore'` would not do: Node leaves descriptors above 2 alone when told to ignore them.)
 */
export function sandboxStdio(inherited: readonly number[] = inheritableFds()): StdioOptions {
  const stdio: ('pipe' | 'ignore' | number)[] = ['pipe', 'pipe', 'pipe'];
  if (inherited.length === 0) return stdio;
  devNull ??= openSync('/dev/null', 'r');
  for (const fd of inherited) {
    while (stdio.length < fd) stdio.push('ignore');
    stdio[fd] = devNull;
  }
  return stdio;
}
