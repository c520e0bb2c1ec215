import type { Failure } from '@llmatic/core';
import { selectBackend, type BackendName } from '../backend/select-backend.js';
import { readDatasetFiles } from '../data/dataset-files.js';
import { trainModel } from '../training/train-model.js';
import type { TrainRequest, WorkerMessage } from './protocol.js';

/**
 * Entry of a training process (child_process.fork): receives one TrainRequest, trains, replies
 * with one result and exits. A crash, an out-of-memory abort or a hard kill loses only this
 * process; the parent turns it into a typed failure.
 */
function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('train-worker must be started with child_process.fork'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

export function classifyThrown(error: unknown): Failure {
  const text = error instanceof Error ? `${error.message}` : String(error);
  if (/out of memory|\bOOM\b|Memory\.grow|allocation failed|Cannot enlarge memory/i.test(text)) {
    return { reason: 'memory', message: `Training ran out of memory: ${text}` };
  }
  return { reason: 'crash', message: `Training threw: ${text}` };
}

async function handle(request: TrainRequest): Promise<void> {
  let backend: BackendName = 'cpu';
  try {
    const selected = await selectBackend({
      backend: request.backend,
      wasmThreads: request.wasmThreads,
      log: (message) => void send({ type: 'log', message }),
    });
    backend = selected.name;
    const { meta, splits } = await readDatasetFiles(request.datasetDir);
    const outcome = await trainModel(request.spec, { inputShape: meta.inputShape, numClasses: meta.numClasses, splits }, request.settings, {
      deadline: request.deadline,
      log: (message) => void send({ type: 'log', message }),
    });
    await send({ type: 'result', backend, outcome });
  } catch (error) {
    await send({ type: 'result', backend, outcome: { ok: false, failure: classifyThrown(error) } });
  }
}

if (process.send) {
  process.once('message', (message: TrainRequest) => {
    handle(message).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
