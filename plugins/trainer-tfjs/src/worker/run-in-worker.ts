import { fork } from 'node:child_process';
import { fail, type Result } from '@llmatic/core';
import type { BackendName } from '../backend/select-backend.js';
import type { TrainRequest, WorkerMessage } from './protocol.js';
import { workerEntry } from './worker-entry.js';

export interface WorkerRun {
  request: Omit<TrainRequest, 'type' | 'deadline'>;
  /** Wall-clock budget of the whole evaluation, process start included. */
  timeoutMs: number;
  /** V8 heap limit of the training process (--max-old-space-size). */
  memoryLimitMb?: number;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

export type WorkerOutcome = Extract<WorkerMessage, { type: 'result' }>['outcome'];

/** Extra time past the deadline for the process to report its own 'timeout' before it is killed. */
const GRACE_MS = 5_000;
const STDERR_TAIL = 4_000;

/**
 * Trains in a fresh child process and waits for its single result. Time limit: the process is
 * told the deadline and stops itself between batches; past the deadline plus a grace period it is
 * killed. A process that dies without a result (native crash, out of memory) is a failure of this
 * candidate only. Aborting the signal kills the process and rejects with the signal's reason.
 */
export function runInWorker(run: WorkerRun): Promise<Result<{ backend: BackendName | null; outcome: WorkerOutcome }>> {
  const { file, execArgv } = workerEntry();
  const started = Date.now();
  const request: TrainRequest = { type: 'train', ...run.request, deadline: started + run.timeoutMs };
  return new Promise((resolve, reject) => {
    if (run.signal?.aborted) return reject(run.signal.reason);
    const child = fork(file, [], {
      execArgv: [...execArgv, ...(run.memoryLimitMb ? [`--max-old-space-size=${run.memoryLimitMb}`] : [])],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    let settled = false;
    let killedFor: 'timeout' | 'abort' | null = null;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      action();
    };
    const timer = setTimeout(() => {
      killedFor = 'timeout';
      child.kill('SIGKILL');
    }, run.timeoutMs + GRACE_MS);
    const onAbort = () => {
      killedFor = 'abort';
      finish(() => reject(run.signal!.reason));
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') run.log?.(message.message);
      else if (message.type === 'result') finish(() => resolve({ ok: true, backend: message.backend, outcome: message.outcome }));
    });
    child.on('error', (error) => finish(() => resolve(fail('crash', `The training process could not run: ${error.message}`))));
    child.on('exit', (code, signal) => {
      finish(() => {
        if (killedFor === 'timeout') {
          resolve(fail('timeout', `Training exceeded ${run.timeoutMs} ms and was killed.`));
          return;
        }
        const tail = stderr.trim().split('\n').slice(-5).join(' | ');
        const fatal = stderr.split('\n').find((line) => /FATAL ERROR|out of memory|Allocation failed/i.test(line));
        if (fatal) {
          resolve(fail('memory', `The training process ran out of memory${run.memoryLimitMb ? ` (V8 heap limit ${run.memoryLimitMb} MB)` : ''}: ${fatal.trim()}`));
          return;
        }
        resolve(fail('crash', `The training process exited (${signal ? `signal ${signal}` : `code ${code}`}) without a result${tail ? `: ${tail}` : ''}.`));
      });
    });
    child.send(request);
  });
}
