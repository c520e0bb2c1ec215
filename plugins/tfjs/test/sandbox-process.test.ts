// The sandbox process itself (issue 9, classes 4 and 5): host code never reads what the program
// made, the parent watches the child's resident memory, and the child runs without network,
// without the power to signal other processes and without the parent's descriptors.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_PROGRAM, tfjsCompiler } from '@llmatic/tfjs';
import { launchSpec, runInChild, type ChildLimits } from '../src/sandbox/child-process.js';
import { sandboxIsolation, type Isolation } from '../src/sandbox/isolation.js';

const limits: ChildLimits = { timeoutMs: 1_500, memoryMb: 64, maxRssMb: 320, startupGraceMs: 20_000, maxReplyBytes: 100_000 };

describe('the runner reads nothing the program made', () => {
  it('a thrown object whose getters never return is an error, not a wall-clock kill', async () => {
    // With the old runner, reading `error.code` ran this getter in host code, outside the vm
    // timeout, until the parent's wall-clock kill (reported as a timeout).
    const source = 'throw { get code() { for (;;) {} }, get message() { for (;;) {} }, get name() { for (;;) {} } };';
    const outcome = await runInChild([{ source, filename: 'hostile.js' }], limits);
    expect(outcome).toEqual({ kind: 'crash', message: 'the sandbox failed: script hostile.js failed' });
  });

  it('a forged timeout code is not taken for a timeout', async () => {
    const outcome = await runInChild([{ source: "throw { code: 'ERR_SCRIPT_EXECUTION_TIMEOUT' };", filename: 'forged.js' }], limits);
    expect(outcome.kind).toBe('crash');
  });

  it('a real timeout is still a timeout', async () => {
    const outcome = await runInChild([{ source: 'for (;;) {}', filename: 'loop.js' }], limits);
    expect(outcome.kind).toBe('timeout');
  });

  it('a program that throws a proxy with hostile traps gets a compile failure from the driver', async () => {
    const compiler = tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10, timeoutMs: 1_500 });
    const result = await compiler.compile(`function buildModel(tf) {
      const trap = () => { throw { get code() { for (;;) {} }, get message() { for (;;) {} } }; };
      throw new Proxy({}, { getPrototypeOf: trap, get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
    }`);
    expect(result).toMatchObject({ ok: false, failure: { reason: 'compile' } });
  });
});

describe('the parent watches the child', () => {
  it('kills a child whose resident memory passes maxRssMb, memory outside the V8 heap included', async (context) => {
    const isolation = await sandboxIsolation();
    if (!isolation.rssWatch) context.skip(); // no /proc here; README: the RSS watch needs Linux
    // ICU segment iterators live outside the V8 heap, which the 64 MB heap cap does not cover.
    const compiler = tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10, timeoutMs: 30_000, memoryMb: 64, maxRssMb: 160 });
    const result = await compiler.compile(`function buildModel(tf) {
      const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
      const text = 'ab '.repeat(20000);
      const keep = [];
      for (;;) { const segments = segmenter.segment(text); keep.push(segments, segments[Symbol.iterator]()); }
    }`);
    expect(result).toMatchObject({
      ok: false,
      failure: { reason: 'memory', message: expect.stringMatching(/MB of resident memory, over the cap of 160 MB \(maxRssMb\)/) },
    });
    const next = await compiler.compile(SEED_PROGRAM);
    expect(next.ok).toBe(true);
  });
});

/** Runs `code` in a Node started exactly as sandbox children are (isolation, env, stdio), without the permission flags. */
function probe(isolation: Isolation, code: string): Promise<string> {
  const spec = launchSpec(['-e', code], isolation);
  return new Promise((resolveProbe, reject) => {
    const child = spawn(spec.command, spec.args, spec.options);
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.stdin?.end();
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveProbe(out.trim()) : reject(new Error(`probe exited ${code}: ${err}`))));
  });
}

describe('defence in depth: the sandbox process, as the OS allows', () => {
  let isolation: Isolation;
  let server: Server;
  let port = 0;
  let bystander: ReturnType<typeof spawn>;

  beforeAll(async () => {
    isolation = await sandboxIsolation();
    server = createServer((socket) => socket.end('reachable'));
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    port = (server.address() as { port: number }).port;
    bystander = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  });
  afterAll(() => {
    server.close();
    bystander.kill('SIGKILL');
  });

  it('cannot open a TCP connection to a server on 127.0.0.1', async (context) => {
    if (isolation.network !== 'isolated') {
      console.warn(`skipped: no network namespace for the sandbox here (${isolation.notes.join('; ')})`);
      context.skip();
    }
    // The same probe from this process connects, so a refusal below is the namespace's doing.
    const connect = `require('node:net').connect(${port}, '127.0.0.1')
      .on('connect', () => { console.log('connected'); process.exit(0); })
      .on('error', (e) => { console.log(e.code); process.exit(0); });`;
    expect(spawnSync(process.execPath, ['-e', connect], { encoding: 'utf8' }).stdout.trim()).toBe('connected');
    expect(await probe(isolation, connect)).toMatch(/^E[A-Z]+$/);
  });

  it('cannot send UDP to 127.0.0.1', async (context) => {
    if (isolation.network !== 'isolated') {
      console.warn(`skipped: no network namespace for the sandbox here (${isolation.notes.join('; ')})`);
      context.skip();
    }
    const send = `const socket = require('node:dgram').createSocket('udp4');
      socket.send('x', ${port}, '127.0.0.1', (e) => { console.log(e ? e.code : 'sent'); process.exit(0); });`;
    expect(spawnSync(process.execPath, ['-e', send], { encoding: 'utf8' }).stdout.trim()).toBe('sent');
    expect(await probe(isolation, send)).toMatch(/^E[A-Z]+$/);
  });

  it('cannot signal another process', async (context) => {
    if (isolation.signals !== 'other-user') {
      console.warn(`skipped: the sandbox runs as this user here (not root), so it may signal its processes (${isolation.notes.join('; ')})`);
      context.skip();
    }
    const kill = `try { process.kill(${bystander.pid}, 'SIGKILL'); console.log('killed'); } catch (e) { console.log(e.code); }`;
    expect(await probe(isolation, kill)).toMatch(/^(EPERM|ESRCH)$/);
    expect(bystander.exitCode).toBe(null);
    expect(bystander.signalCode).toBe(null);
  });

  it('holds no descriptor of its parent but stdin, stdout and stderr', (context) => {
    if (!isolation.rssWatch) {
      console.warn('skipped: no /proc here to list descriptors with');
      context.skip();
    }
    // A parent that inherited a descriptor without close-on-exec (fd 40 here: libuv reuses the
    // lowest numbers while it starts a child) starts a sandbox child.
    const marker = join(tmpdir(), `llmatic-fd-marker-${process.pid}`);
    const fd = openSync(marker, 'w');
    try {
      const module = resolve(import.meta.dirname, '../src/sandbox/child-process.ts');
      const listFds = `const fs = require('node:fs'); console.log(JSON.stringify(fs.readdirSync('/proc/self/fd').map((n) => { try { return fs.readlinkSync('/proc/self/fd/' + n); } catch { return ''; } })));`;
      const parent = `
        import { spawnSync } from 'node:child_process';
        import { launchSpec } from ${JSON.stringify(module)};
        import { sandboxIsolation } from ${JSON.stringify(resolve(import.meta.dirname, '../src/sandbox/isolation.ts'))};
        const spec = launchSpec(['-e', ${JSON.stringify(listFds)}], await sandboxIsolation());
        const own = require('node:fs').readlinkSync('/proc/self/fd/40');
        const child = spawnSync(spec.command, spec.args, { ...spec.options, encoding: 'utf8' });
        console.log(JSON.stringify({ own, child: JSON.parse(child.stdout) }));`;
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n${parent}`], {
        cwd: resolve(import.meta.dirname, '../../..'),
        stdio: [...(['ignore', 'pipe', 'pipe'] as const), ...new Array<'ignore'>(37).fill('ignore'), fd],
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const seen = JSON.parse(run.stdout) as { own: string; child: string[] };
      expect(seen.own).toBe(marker); // the parent really holds it, inherited
      expect(seen.child).not.toContain(marker);
    } finally {
      closeSync(fd);
      rmSync(marker, { force: true });
    }
  });
});
