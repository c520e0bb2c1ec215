import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { z } from 'zod';
import { fail, type EvaluateContext, type Evaluation, type Evaluator, type Result } from '@llmatic/core';
import { BACKEND_NAMES, type BackendName } from './backend/select-backend.js';
import { checkSplits, type Dataset } from './data/dataset.js';
import { removeDatasetFiles, writeDatasetFiles } from './data/dataset-files.js';
import { modelSpecSchema, type TfjsModelSpec } from './training/model-spec.js';
import { trainSettingsSchema } from './training/train-settings.js';
import { runInWorker } from './worker/run-in-worker.js';

const optionsSchema = trainSettingsSchema.extend({
  dataset: z.custom<Dataset>(
    (d) => typeof d === 'object' && d !== null && typeof (d as Dataset).load === 'function' && typeof (d as Dataset).name === 'string',
    'dataset must implement Dataset (name, inputShape, numClasses, load()), e.g. mnistDataset()',
  ),
  /** 'auto' (default): tfjs-node-gpu, tfjs-node, wasm, cpu, the first that starts. */
  backend: z.enum(['auto', ...BACKEND_NAMES] as [string, ...string[]]).default('auto'),
  /** Wall-clock limit of one evaluation (process start, training, scoring). Default 1 hour. */
  timeoutMs: z.number().int().positive().default(3_600_000),
  /** Evaluations in parallel, each in its own process. Default: one per core. */
  workers: z.number().int().positive().optional(),
  /** V8 heap limit per training process in MB (wasm memory comes on top). */
  memoryLimitMb: z.number().int().positive().optional(),
  wasmThreads: z.number().int().positive().default(1),
}).strict();

/** Options of {@link tfjsTrainer}; every training setting defaults to the paper's. */
export type TfjsTrainerOptions = z.input<typeof optionsSchema>;

/**
 * An {@link Evaluator} that trains each network (a Layers-API topology) on `dataset` and scores
 * it: fitness is the validation accuracy (or test accuracy with `fitness: 'test'`); metrics are
 * valAccuracy, testAccuracy, trainLoss, epochs, trainSeconds, imagesPerSecond and params; info
 * names the backend; the trained weights come back as `model.json` + `weights.bin` artifacts
 * (load them with {@link loadTrainedModel}).
 *
 * Each evaluation runs in its own child process, up to `workers` at a time: a native crash, an
 * out-of-memory abort or a hung kernel costs one candidate, never the run, and the process's
 * memory (the wasm heap never shrinks) is returned when it exits.
 */
export function tfjsTrainer(options: TfjsTrainerOptions): Evaluator<TfjsModelSpec> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new Error(`tfjsTrainer: invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const { dataset, backend, timeoutMs, workers, memoryLimitMb, wasmThreads, ...trainOptions } = parsed.data;
  const settings = trainSettingsSchema.parse(trainOptions);
  const limit = pLimit(workers ?? availableParallelism());
  let prepared: Promise<string> | null = null;
  let closed = false;
  // Aborted on close(): kills the training processes still running.
  const shutdown = new AbortController();

  const prepare = (): Promise<string> => {
    prepared ??= (async () => {
      const splits = await dataset.load();
      checkSplits(dataset, splits);
      return writeDatasetFiles(dataset, splits);
    })();
    return prepared;
  };

  return {
    name: 'tfjs',
    async evaluate(model: TfjsModelSpec, context: EvaluateContext): Promise<Result<Evaluation>> {
      if (closed) throw new Error('tfjsTrainer: evaluate() after close()');
      const spec = modelSpecSchema.safeParse(model);
      if (!spec.success) {
        return fail('compile', `The compiled model is not a tfjs model spec: ${spec.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      const datasetDir = await prepare();
      return limit(async () => {
        // The kernel tags messages with the candidate id.
        const log = context.log;
        const result = await runInWorker({
          request: {
            spec: { topology: spec.data.topology, inputShape: spec.data.inputShape, numClasses: spec.data.numClasses },
            settings,
            datasetDir,
            backend: backend as BackendName | 'auto',
            wasmThreads,
          },
          timeoutMs,
          ...(memoryLimitMb ? { memoryLimitMb } : {}),
          signal: context.signal ? AbortSignal.any([context.signal, shutdown.signal]) : shutdown.signal,
          ...(log ? { log } : {}),
        });
        if (!result.ok) return result;
        const { outcome } = result;
        if (!outcome.ok) return outcome;
        return {
          ok: true,
          fitness: outcome.fitness,
          metrics: outcome.metrics,
          info: { backend: result.backend ?? 'unknown', dataset: dataset.name },
          artifacts: outcome.artifacts,
        };
      });
    },
    async close() {
      closed = true;
      limit.clearQueue();
      shutdown.abort(new Error('tfjsTrainer closed'));
      if (prepared) {
        const dir = await prepared.catch(() => null);
        if (dir) await removeDatasetFiles(dir);
      }
    },
  };
}
