import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  NB201_SOURCES,
  NB201_TABLE_GZ_SHA256,
  NB201_TABLE_SHA256,
  SEED_CELL,
  buildNb201Table,
  cellFlops,
  cellParams,
  gitBlobId,
  loadNb201Table,
  nasBench201,
  nasBench201Oracle,
  parseArch,
  parseCell,
  type FetchLike,
  type NasBench201Cell,
  type Nb201Sources,
} from '@llmatic/nasbench201';
import { createHash } from 'node:crypto';
import { REAL_TABLE, tempDir } from './helpers/tables.js';

const present = existsSync(REAL_TABLE);
if (!present) {
  console.warn(`NAS-Bench-201 real-table tests skipped: ${REAL_TABLE} is absent (shared/ must sit beside the repository).`);
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

function cellOf(arch: string): NasBench201Cell {
  const parsed = parseCell(arch);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.cell;
}

function rowsOf(text: string): Record<string, string>[] {
  const [header = '', ...lines] = text.trimEnd().split('\n');
  const names = header.split(',');
  return lines.map((line) => {
    const values = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
  });
}

const ARCH_9930 = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';

describe.skipIf(!present)('the real NAS-Bench-201 table', () => {
  const gz = present ? readFileSync(REAL_TABLE) : Buffer.alloc(0);
  const text = present ? gunzipSync(gz).toString('utf8') : '';
  const rows = present ? rowsOf(text) : [];

  it('is the published file (both checksums)', () => {
    expect(sha256(gz)).toBe(NB201_TABLE_GZ_SHA256);
    expect(sha256(text)).toBe(NB201_TABLE_SHA256);
  });

  it('loads all 15,625 unique cells', async () => {
    const table = await loadNb201Table(REAL_TABLE);
    expect(table.size).toBe(15_625);
    expect(new Set(table.indices).size).toBe(15_625);
    expect(table.row(ARCH_9930)).toBeDefined();
  });

  it('matches the analytic FLOPs and params formula on every row and dataset', () => {
    expect(rows).toHaveLength(15_625);
    let checked = 0;
    for (const r of rows) {
      const parsed = parseArch(r.arch ?? '');
      if (!parsed.ok) throw new Error(parsed.message);
      const { ops } = parsed.cell;
      for (const [dataset, prefix] of [
        ['cifar10', 'cifar10'],
        ['cifar100', 'cifar100'],
        ['imagenet16-120', 'imagenet16_120'],
      ] as const) {
        expect(cellFlops(ops, dataset).toFixed(5), `${r.index} ${dataset} flops`).toBe(r[`${prefix}_flops_m`]);
        expect(cellParams(ops, dataset).toFixed(6), `${r.index} ${dataset} params`).toBe(r[`${prefix}_params_m`]);
        checked++;
      }
    }
    expect(checked).toBe(3 * 15_625);
  });

  it('gives the README figures for index 9930 on every dataset', async () => {
    const c10 = await nasBench201Oracle({ dataset: 'cifar10', table: REAL_TABLE }).evaluate(cellOf(ARCH_9930), { candidateId: 'x' });
    expect(c10).toMatchObject({
      ok: true,
      fitness: 91.5533,
      metrics: { valAccuracy: 91.5533, testAccuracy: 94.3633, testRank: 3, valRank: 2, flops: 184.73025, params: 1.288506 },
      info: { arch: ARCH_9930, index: '9930' },
    });
    const c100 = await nasBench201Oracle({ dataset: 'cifar100', table: REAL_TABLE, fitness: 'test' }).evaluate(cellOf(ARCH_9930), {
      candidateId: 'x',
    });
    expect(c100).toMatchObject({ ok: true, fitness: 73.5133, metrics: { valAccuracy: 73.4933, testRank: 1, valRank: 1 } });
    const image = await nasBench201Oracle({ dataset: 'imagenet16-120', table: REAL_TABLE }).evaluate(cellOf(ARCH_9930), {
      candidateId: 'x',
    });
    expect(image.ok && image.metrics.testAccuracy).toBe(46.3444);
  });

  it('ranks the README maxima first (ties share rank 1)', async () => {
    const table = await loadNb201Table(REAL_TABLE);
    const byIndex = new Map(Array.from(table.indices, (index, row) => [index, row]));
    const at = (index: number) => byIndex.get(index) ?? -1;
    // cifar10_test_acc: 6111 and 13714 tie at 94.3733; 9930 is third.
    expect([6111, 13714, 9930].map((i) => table.rank('cifar10_test_acc', at(i)))).toEqual([1, 1, 3]);
    expect(table.value('cifar10_test_acc', at(6111))).toBe(94.3733);
    // cifar10_valid_acc: 6111, 9930, 2581.
    expect([6111, 9930, 2581].map((i) => table.rank('cifar10_valid_acc', at(i)))).toEqual([1, 2, 3]);
    expect(table.value('cifar10_valid_acc', at(6111))).toBe(91.6067);
    expect([9930, 3888, 6111].map((i) => table.rank('cifar100_test_acc', at(i)))).toEqual([1, 2, 3]);
    expect([857, 10699, 3888].map((i) => table.rank('imagenet16_120_test_acc', at(i)))).toEqual([1, 2, 3]);
    expect(table.value('imagenet16_120_test_acc', at(857))).toBe(47.3111);
    expect([10676, 3731, 11777].map((i) => table.rank('imagenet16_120_valid_acc_nb201', at(i)))).toEqual([1, 2, 3]);
    expect([9930, 13714, 2581].map((i) => table.rank('cifar100_valid_acc_nb201', at(i)))).toEqual([1, 2, 3]);
  });

  it('scores the seed cell (index 13828) and every cell a random search could propose', async () => {
    const { space, evaluator } = nasBench201({ dataset: 'cifar10', table: REAL_TABLE });
    const seed = await space.compiler.compile(SEED_CELL);
    if (!seed.ok) throw new Error(seed.failure.message);
    const r = await evaluator.evaluate(seed.model, { candidateId: 'seed' });
    expect(r).toMatchObject({ ok: true, fitness: 86.2173, info: { index: '13828' } });
    const descriptors = space.descriptors.map((d) => d.compute(seed.model, r.ok ? r.metrics : {}));
    expect(descriptors[0]).toBeCloseTo(11.71521, 5);
    expect(descriptors[1]).toBe(2);
  });

  it('rebuilds byte for byte from sources in the public formats (SHA-256 checked)', async () => {
    // Sources in the formats of the pinned files, made from the table itself (no network here).
    const a = ['CIFAR10TestAccuracy200Epochs,CIFAR100TestAccuracy200Epochs,ImageNetTestAccuracy200Epochs,ArchitectureString,UniqueString'];
    const b = ['index,sol,arch_str,train-all-time,valid-accuracy,test-accuracy'];
    const c: Record<string, Record<string, { val_acc_200: number; test_acc_200: number; rank: number }>> = {
      cifar10: {},
      cifar100: {},
      imagenet: {},
    };
    for (const r of rows) {
      const arch = r.arch ?? '';
      a.push(`${r.cifar10_test_acc},${r.cifar100_test_acc},${r.imagenet16_120_test_acc},${arch},#+0`);
      b.push(`${r.index},123,${arch},${r.cifar10valid_train_time_s},${r.cifar10_valid_acc},0`);
      for (const [key, prefix] of [
        ['cifar10', 'cifar10'],
        ['cifar100', 'cifar100'],
        ['imagenet', 'imagenet16_120'],
      ] as const) {
        (c[key] ?? {})[arch] = {
          val_acc_200: Number(r[`${prefix}_valid_acc_nb201`]),
          test_acc_200: Number(r[`${prefix}_test_acc_nb201`]),
          rank: 1,
        };
      }
    }
    const files: Record<keyof Nb201Sources, Buffer> = {
      natsTest: Buffer.from(`${a.join('\n')}\n`),
      natsValid: Buffer.from(`${b.join('\r\n')}\r\n`),
      nb201Cifar10: Buffer.from(JSON.stringify(c.cifar10)),
      nb201Cifar100: Buffer.from(JSON.stringify(c.cifar100)),
      nb201Imagenet: Buffer.from(JSON.stringify(c.imagenet)),
    };
    const sources = Object.fromEntries(
      Object.entries(NB201_SOURCES).map(([key, s]) => [key, { ...s, gitBlob: gitBlobId(files[key as keyof Nb201Sources]) }]),
    ) as unknown as Nb201Sources;
    const byUrl = new Map<string, Buffer>();
    for (const key of Object.keys(files) as (keyof Nb201Sources)[]) byUrl.set(sources[key].urls[0] ?? '', files[key]);
    const serve: FetchLike = (url) => {
      const body = byUrl.get(url);
      return Promise.resolve(body ? new Response(body) : new Response('missing', { status: 404, statusText: 'Not Found' }));
    };
    const destination = join(tempDir(), 'cache', 'nb201.csv.gz');
    await buildNb201Table(destination, { fetch: serve, sources });
    expect(sha256(gunzipSync(readFileSync(destination)))).toBe(NB201_TABLE_SHA256);
    // One changed value breaks the checksum and nothing is written.
    files.natsTest = Buffer.from(files.natsTest.toString().replace('85.8633', '85.8634'));
    const changed = { ...sources, natsTest: { ...sources.natsTest, gitBlob: gitBlobId(files.natsTest) } };
    byUrl.set(changed.natsTest.urls[0] ?? '', files.natsTest);
    const other = join(tempDir(), 'nb201.csv.gz');
    await expect(buildNb201Table(other, { fetch: serve, sources: changed })).rejects.toThrow(
      new RegExp(`has SHA-256 [0-9a-f]{64}, expected ${NB201_TABLE_SHA256}; it was not saved`),
    );
    expect(existsSync(other)).toBe(false);
  });
});
