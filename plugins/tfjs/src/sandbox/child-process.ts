import { spawn, type SpawnOptions } from 'node:child_process';
import { dirname } from 'node:path';
import { RUNNER_PATH } from '../runner-location.js';
import { sandboxStdio } from './inherited-fds.js';
import { sandboxIsolation, type Isolation } from './isolation.js';
import { watchRss } from './rss-watch.js';

/** One script for the runner to evaluate in the candidate's context. */
export interface RunnerScript {
  source: string;
  filename: string;
  columnOffset?: number;
}

export interface ChildLimits {
  /** Budget for evaluating the scripts (vm timeout inside the child). */
  timeoutMs: number;
  /** V8 heap cap of the child (`--max-old-space-size`). */
  memoryMb: number;
  /** Resident-memory cap of the child, watched from the parent. */
  maxRssMb: number;
  /** Extra wall-clock time for starting Node before the parent kills the child. */
  startupGraceMs: number;
  /** Largest reply accepted on stdout. */
  maxReplyBytes: number;
  signal?: AbortSignal;
}

/** How a child run ended. */
export type ChildOutcome =
  | { kind: 'result'; value: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'syntax'; message: string }
  | { kind: 'memory'; message: string }
  | { kind: 'crash'; message: string }
  | { kind: 'reply-too-large'; message: string };

const STDERR_KEEP = 4_000;

/**
 * The child's command line: Node's permission model with nothing allowed but reading the runner
 * itself (so no file writes, child processes, workers or native addons), a heap cap, and no code
 * generation from strings anywhere in the process. The environment is empty.
 */
export function childArguments(memoryMb: number): string[] {
  return [
    permissionFlag(),
    `--allow-fs-read=${RUNNER_PATH}`,
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${memoryMb}`,
    '--disable-warning=ExperimentalWarning',
    RUNNER_PATH,
  ];
}

/** Node 20 calls the permission model experimental; 22.13 and later name it `--permission`. */
function permissionFlag(): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 13) ? '--permission' : '--experimental-permission';
}

/**
 * How to start Node with `nodeArgs` under the machine's isolation: through `unshare` (a network
 * namespace of its own) where available, as `nobody` when this process is root, with an empty
 * environment, and with no descriptor of the parent's but the three stdio pipes.
 */
export function launchSpec(nodeArgs: string[], isolation: Isolation): { command: string; args: string[]; options: SpawnOptions } {
  const [command, ...prefixArgs] = [...isolation.prefix, process.execPath];
  return {
    command: command as string,
    args: [...prefixArgs, ...nodeArgs],
    options: {
      cwd: dirname(RUNNER_PATH),
      env: {},
      stdio: sandboxStdio(),
      windowsHide: true,
      ...(isolation.user ? { uid: isolation.user.uid, gid: isolation.user.gid } : {}),
    },
  };
}

type KillReason = 'timeout' | 'reply-too-large' | 'abort' | 'memory';

/** Runs the scripts in a fresh, locked-down Node process and classifies how it ended. */
export async function runInChild(scripts: RunnerScript[], limits: ChildLimits): Promise<ChildOutcome> {
  const isolation = await sandboxIsolation();
  return new Promise((resolve, reject) => {
    if (limits.signal?.aborted) {
      reject(limits.signal.reason);
      return;
    }
    const spec = launchSpec(childArguments(limits.memoryMb), isolation);
    const child = spawn(spec.command, spec.args, spec.options);
    let settled = false;
    let killedFor: KillReason | null = null;
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let rssAtKill = 0;

    const kill = (why: KillReason): void => {
      if (killedFor === null) killedFor = why;
      child.kill('SIGKILL');
    };
    const rss =
      isolation.rssWatch && child.pid !== undefined
        ? watchRss(child.pid, limits.maxRssMb, (mb) => {
            rssAtKill = mb;
            kill('memory');
          })
        : null;
    const wallClock = setTimeout(() => kill('timeout'), limits.timeoutMs + limits.startupGraceMs);
    const onAbort = (): void => kill('abort');
    limits.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (outcome: ChildOutcome | { abort: unknown }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(wallClock);
      rss?.stop();
      limits.signal?.removeEventListener('abort', onAbort);
      if ('abort' in outcome) reject(outcome.abort);
      else resolve(outcome);
    };

    const { stdin, stdout: out, stderr: err } = child;
    if (!stdin || !out || !err) {
      kill('abort');
      finish({ kind: 'crash', message: 'the sandbox process was started without its stdio pipes' });
      return;
    }
    out.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > limits.maxReplyBytes) kill('reply-too-large');
      else stdout.push(chunk);
    });
    err.setEncoding('utf8');
    err.on('data', (chunk: string) => {
      if (stderr.length < STDERR_KEEP * 4) stderr += chunk;
    });
    child.on('error', (error) => finish({ kind: 'crash', message: `could not start the sandbox: ${error.message}` }));
    // The child may die before reading its request; that is reported by 'close', not here.
    stdin.on('error', () => undefined);

    child.on('close', (code, signal) => {
      if (killedFor === 'abort') {
        finish({ abort: limits.signal?.reason ?? new Error('compile aborted') });
        return;
      }
      if (killedFor === 'timeout') {
        finish({ kind: 'timeout', message: `the program ran longer than ${limits.timeoutMs} ms and was killed` });
        return;
      }
      if (killedFor === 'memory') {
        finish({
          kind: 'memory',
          message:
            `the program's process reached ${Math.round(rssAtKill)} MB of resident memory, over the cap of ${limits.maxRssMb} MB ` +
            '(maxRssMb), and was killed; raise maxRssMb in the compiler options if a model description really needs it',
        });
        return;
      }
      if (killedFor === 'reply-too-large') {
        finish({
          kind: 'reply-too-large',
          message: `the model description is larger than ${limits.maxReplyBytes} bytes`,
        });
        return;
      }
      if (/heap out of memory|Reached heap limit|allocation failed/i.test(stderr)) {
        finish({ kind: 'memory', message: `the program used more than ${limits.memoryMb} MB of memory and was stopped` });
        return;
      }
      const text = Buffer.concat(stdout).toString('utf8');
      let reply: unknown;
      try {
        reply = JSON.parse(text);
      } catch {
        const tail = stderr.trim().slice(-STDERR_KEEP);
        finish({
          kind: 'crash',
          message: `the sandbox process ended (code ${code}, signal ${signal}) without a reply${tail ? `: ${tail}` : ''}`,
        });
        return;
      }
      finish(classifyReply(reply));
    });

    stdin.end(JSON.stringify({ scripts, timeoutMs: limits.timeoutMs }));
  });
}

/** Reads the child's reply defensively: after an escape, the child could write any JSON. */
function classifyReply(reply: unknown): ChildOutcome {
  if (reply === null || typeof reply !== 'object' || Array.isArray(reply)) {
    return { kind: 'crash', message: 'the sandbox replied with something that is not a reply object' };
  }
  const field = (key: string): unknown => (Object.hasOwn(reply, key) ? (reply as Record<string, unknown>)[key] : undefined);
  const message = { kind: field('kind'), value: field('value'), message: field('message') };
  const text = typeof message.message === 'string' ? message.message : '';
  switch (message.kind) {
    case 'result':
      return typeof message.value === 'string'
        ? { kind: 'result', value: message.value }
        : { kind: 'crash', message: 'the sandbox replied without a report' };
    case 'timeout':
      return { kind: 'timeout', message: text };
    case 'syntax':
      return { kind: 'syntax', message: text };
    default:
      return { kind: 'crash', message: `the sandbox failed: ${text || 'unknown error'}` };
  }
}
