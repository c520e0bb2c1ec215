import { fail, type EvaluateContext, type Evaluation, type Evaluator, type Metrics, type Result } from '@llmatic/core';
import { z } from 'zod';
import { formatArch, type NasBench201Cell } from '../cell/cell.js';
import { NB201_OPS } from '../cell/ops.js';
import { datasetSchema, type Nb201Dataset } from '../datasets.js';
import { formatOptionsError } from '../options-error.js';
import type { FetchLike } from './build.js';
import { datasetColumns, type DatasetColumns, type Nb201Release } from './columns.js';
import { locateNb201Table } from './locate.js';
import { loadNb201Table, type Nb201Table } from './table.js';

/** Options of {@link nasBench201Oracle}. */
export interface NasBench201OracleOptions {
  dataset: Nb201Dataset;
  /** Path of `nb201.csv.gz` (or a plain CSV). Default: `LLMATIC_NB201_TABLE`, else the cache. */
  table?: string;
  /**
   * What selection optimises: `validation` (default; never the test split) or `test` (as the
   * paper did). Validation is `cifar10_valid_acc` for CIFAR-10 and the `_nb201` validation
   * columns for CIFAR-100 and ImageNet16-120 (the only public ones).
   */
  fitness?: 'validation' | 'test';
  /** Which release the accuracies come from; default `nats` (see `Nb201Release`). */
  release?: Nb201Release;
  /** Cache folder of the table; default `$XDG_CACHE_HOME/llmatic` or `~/.cache/llmatic`. */
  cacheDir?: string;
  /** Build the table from its public sources when it is nowhere (default true). */
  download?: boolean;
  /** `fetch` used to download the sources (default: the global one). */
  fetch?: FetchLike;
}

/** The benchmark-table evaluator. */
export interface NasBench201Oracle extends Evaluator<NasBench201Cell> {
  readonly dataset: Nb201Dataset;
  readonly fitness: 'validation' | 'test';
  /** The table columns it reads. */
  readonly columns: DatasetColumns;
  /** Loads the table now; throws `NasBench201TableError` with how to provide it. Call at start-up. */
  check(): Promise<void>;
  /** The shared in-memory table (loaded on first use). */
  table(): Promise<Nb201Table>;
}

const optionsSchema = z
  .object({
    dataset: datasetSchema,
    table: z.string().min(1).optional(),
    fitness: z.enum(['validation', 'test']).default('validation'),
    release: z.enum(['nats', 'nb201']).default('nats'),
    cacheDir: z.string().min(1).optional(),
    download: z.boolean().default(true),
    fetch: z.custom<FetchLike>((v) => typeof v === 'function', { message: 'expected a fetch function' }).optional(),
  })
  .strict();

const cellSchema = z.object({
  arch: z.string(),
  ops: z.tuple([z.enum(NB201_OPS), z.enum(NB201_OPS), z.enum(NB201_OPS), z.enum(NB201_OPS), z.enum(NB201_OPS), z.enum(NB201_OPS)]),
});

/**
 * Scores a cell by looking it up in the NAS-Bench-201 table (no training). Fitness is the
 * validation (default) or test accuracy in percent. Metrics: `valAccuracy`, `testAccuracy`,
 * `valRank`, `testRank` (1 = best of the table's rows, ties share the best rank), `flops` (M),
 * `params` (M) and, for CIFAR-10, `trainTimeS`. Info: `arch`, `index`.
 *
 * The table is located and loaded once, on first use (or by `check()`), and shared by every
 * evaluator and every concurrent call. Failures are typed `evaluation` and never thrown.
 */
export function nasBench201Oracle(options: NasBench201OracleOptions): NasBench201Oracle {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(formatOptionsError('nasBench201Oracle', parsed.error));
  const o = parsed.data;
  const columns = datasetColumns(o.dataset, o.release);
  const fitnessColumn = o.fitness === 'validation' ? columns.valid : columns.test;
  let pending: Promise<Nb201Table> | undefined;

  const table = (): Promise<Nb201Table> => {
    if (!pending) {
      pending = locateNb201Table({
        ...(o.table !== undefined ? { table: o.table } : {}),
        ...(o.cacheDir !== undefined ? { cacheDir: o.cacheDir } : {}),
        ...(o.fetch !== undefined ? { fetch: o.fetch } : {}),
        download: o.download,
      }).then(loadNb201Table);
      pending.catch(() => {
        pending = undefined;
      });
    }
    return pending;
  };

  return {
    name: `nasbench201-oracle:${o.dataset}`,
    dataset: o.dataset,
    fitness: o.fitness,
    columns,
    table,
    async check() {
      await table();
    },
    async evaluate(model: NasBench201Cell, _context: EvaluateContext): Promise<Result<Evaluation>> {
      const cell = cellSchema.safeParse(model);
      if (!cell.success) {
        return fail('evaluation', `the model is not a NAS-Bench-201 cell ({ arch, ops: [6 operations] }): ${cell.error.issues[0]?.message ?? ''}`);
      }
      const arch = formatArch(cell.data.ops);
      if (arch !== cell.data.arch) {
        return fail('evaluation', `the cell's arch ${cell.data.arch} does not match its ops (${arch})`);
      }
      let t: Nb201Table;
      try {
        t = await table();
      } catch (error) {
        return fail('evaluation', (error as Error).message);
      }
      const row = t.row(arch);
      if (row === undefined) {
        return fail('evaluation', `arch ${arch} is not in the table ${t.file} (${t.size} rows); use the full 15,625-row table`);
      }
      const metrics: Metrics = {
        valAccuracy: t.value(columns.valid, row),
        testAccuracy: t.value(columns.test, row),
        valRank: t.rank(columns.valid, row),
        testRank: t.rank(columns.test, row),
        flops: t.value(columns.flops, row),
        params: t.value(columns.params, row),
      };
      if (columns.trainTime) {
        const time = t.value(columns.trainTime, row);
        if (Number.isFinite(time)) metrics.trainTimeS = time;
      }
      return {
        ok: true,
        fitness: t.value(fitnessColumn, row),
        metrics,
        info: { arch, index: String(t.indices[row]), dataset: o.dataset, fitnessColumn },
      };
    },
  };
}
