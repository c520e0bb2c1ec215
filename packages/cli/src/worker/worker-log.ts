import pc from 'picocolors';
import type { JobResult, ServeEvent } from '@llmatic/core';

const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

function outcome(result: JobResult): string {
  return result.ok
    ? `${pc.green('ok')} fitness ${result.fitness.toFixed(4)}`
    : `${pc.red('failed')} (${result.failure.reason}: ${result.failure.message.split('\n')[0]})`;
}

/** One log line for what a serving executor reported. */
export function describeServeEvent(event: ServeEvent): string {
  switch (event.type) {
    case 'job':
      return `${event.candidateId} ${outcome(event.result)} in ${seconds(event.result.evaluationMs)}`;
    case 'released':
      return `${event.candidateId} ${pc.yellow('handed back')} to the queue`;
    case 'rejected':
      return `${pc.red('rejected')} job ${event.jobId}: ${event.message}`;
    case 'connection-lost':
      return `${pc.yellow('lost the connection')} (${event.message}); reconnecting...`;
    case 'connection-restored':
      return `${pc.green('reconnected')}`;
    case 'error':
      return `${pc.red('error')}: ${event.message}`;
  }
}

/** Writes an event to stderr, stamped with the time of day (UTC). */
export function printServeEvent(event: ServeEvent): void {
  const time = new Date().toISOString().slice(11, 19);
  process.stderr.write(`${pc.dim(time)} ${describeServeEvent(event)}\n`);
}
