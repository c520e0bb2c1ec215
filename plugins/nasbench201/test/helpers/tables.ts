import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  TABLE_COLUMNS,
  cellFlops,
  cellParams,
  formatArch,
  type Nb201Op,
} from '@llmatic/nasbench201';

/** The repository root (this file is plugins/nasbench201/test/helpers/tables.ts). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

/** The shared real table, beside the repository (CI clones the repo next to shared/). */
export const REAL_TABLE = resolve(REPO_ROOT, '../shared/data/nas-bench-201/nb201.csv.gz');

export type Row = Record<(typeof TABLE_COLUMNS)[number], string>;

/** A table row for `ops` with accuracies `acc` (every accuracy column) unless overridden. */
export function row(index: number, ops: Nb201Op[], acc: number, overrides: Partial<Row> = {}): Row {
  const values: Row = {
    index: String(index),
    arch: formatArch(ops),
    cifar10_test_acc: acc.toFixed(4),
    cifar10_valid_acc: (acc - 3).toFixed(4),
    cifar10valid_train_time_s: (1000 + index).toFixed(1),
    cifar100_test_acc: (acc - 20).toFixed(4),
    imagenet16_120_test_acc: (acc - 45).toFixed(4),
    cifar10_test_acc_nb201: (acc - 0.5).toFixed(4),
    cifar10_valid_acc_nb201: (acc - 3.5).toFixed(4),
    cifar100_test_acc_nb201: (acc - 20.5).toFixed(4),
    cifar100_valid_acc_nb201: (acc - 21).toFixed(4),
    imagenet16_120_test_acc_nb201: (acc - 45.5).toFixed(4),
    imagenet16_120_valid_acc_nb201: (acc - 46).toFixed(4),
    cifar10_flops_m: cellFlops(ops, 'cifar10').toFixed(5),
    cifar10_params_m: cellParams(ops, 'cifar10').toFixed(6),
    cifar100_flops_m: cellFlops(ops, 'cifar100').toFixed(5),
    cifar100_params_m: cellParams(ops, 'cifar100').toFixed(6),
    imagenet16_120_flops_m: cellFlops(ops, 'imagenet16-120').toFixed(5),
    imagenet16_120_params_m: cellParams(ops, 'imagenet16-120').toFixed(6),
  };
  return { ...values, ...overrides };
}

/** CSV text of rows, with the real header unless `header` is given. */
export function csv(rows: readonly Row[], header: readonly string[] = TABLE_COLUMNS): string {
  const lines = [header.join(',')];
  for (const r of rows) lines.push(header.map((c) => (r as Record<string, string>)[c] ?? '').join(','));
  return `${lines.join('\n')}\n`;
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nb201-test-'));
}

/** Writes a gzip (default) or plain CSV table into a fresh folder and returns its path. */
export function writeTable(rows: readonly Row[], options: { gzip?: boolean; header?: readonly string[]; name?: string } = {}): string {
  const gzip = options.gzip ?? true;
  const file = join(tempDir(), options.name ?? (gzip ? 'nb201.csv.gz' : 'nb201.csv'));
  const text = csv(rows, options.header);
  writeFileSync(file, gzip ? gzipSync(text) : text);
  return file;
}

export const S: Nb201Op = 'skip_connect';
export const N: Nb201Op = 'none';
export const C1: Nb201Op = 'nor_conv_1x1';
export const C3: Nb201Op = 'nor_conv_3x3';
export const P: Nb201Op = 'avg_pool_3x3';

/** Every one of the 15,625 cells, in a fixed order. */
export function allOps(): Nb201Op[][] {
  const ops: Nb201Op[] = [N, S, C1, C3, P];
  const out: Nb201Op[][] = [];
  for (let code = 0; code < 5 ** 6; code++) {
    const cell: Nb201Op[] = [];
    let rest = code;
    for (let e = 0; e < 6; e++) {
      cell.push(ops[rest % 5] as Nb201Op);
      rest = Math.floor(rest / 5);
    }
    out.push(cell);
  }
  return out;
}
