import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  NB201_SOURCES,
  TABLE_COLUMNS,
  cacheFile,
  competitionRanks,
  cellFromOps,
  formatArch,
  loadNb201Table,
  nasBench201,
  nasBench201Oracle,
  type FetchLike,
  type NasBench201Cell,
  type Nb201Op,
} from '@llmatic/nasbench201';
import { C1, C3, N, P, S, row, tempDir, writeTable } from './helpers/tables.js';

const cell = (ops: Nb201Op[]): NasBench201Cell => cellFromOps(ops);

const A: Nb201Op[] = [C3, C3, C3, S, C3, C3];
const B: Nb201Op[] = [C1, S, N, N, S, P];
const C: Nb201Op[] = [S, S, S, S, S, S];
const D: Nb201Op[] = [N, N, N, N, N, N];

/** Four rows; B and C tie on every accuracy column. */
function smallTable(options: { gzip?: boolean } = {}): string {
  return writeTable([row(9930, A, 94.5), row(17, B, 90), row(3, C, 90), row(5, D, 10)], options);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('nasBench201Oracle on a small table', () => {
  it('reports validation fitness and every metric for CIFAR-10', async () => {
    const table = smallTable();
    const oracle = nasBench201Oracle({ dataset: 'cifar10', table });
    const result = await oracle.evaluate(cell(A), { candidateId: 'g0-0' });
    expect(result).toEqual({
      ok: true,
      fitness: 91.5,
      metrics: {
        valAccuracy: 91.5,
        testAccuracy: 94.5,
        valRank: 1,
        testRank: 1,
        flops: 184.73025, // the README figure of index 9930
        params: 1.288506,
        trainTimeS: 10930,
      },
      info: { arch: formatArch(A), index: '9930', dataset: 'cifar10', fitnessColumn: 'cifar10_valid_acc' },
    });
  });

  it('shares the best rank between ties (1, 2, 2, 4)', async () => {
    const oracle = nasBench201Oracle({ dataset: 'cifar10', table: smallTable() });
    const ranks = await Promise.all(
      [A, B, C, D].map(async (ops) => {
        const r = await oracle.evaluate(cell(ops), { candidateId: 'x' });
        return r.ok ? [r.metrics.testRank, r.metrics.valRank] : undefined;
      }),
    );
    expect(ranks).toEqual([
      [1, 1],
      [2, 2],
      [2, 2],
      [4, 4],
    ]);
    expect([...competitionRanks(Float64Array.from([5, 7, 7, Number.NaN, 1]))]).toEqual([3, 1, 1, 5, 4]);
  });

  it('uses test accuracy as fitness when asked', async () => {
    const oracle = nasBench201Oracle({ dataset: 'cifar10', table: smallTable(), fitness: 'test' });
    const r = await oracle.evaluate(cell(B), { candidateId: 'x' });
    expect(r.ok && [r.fitness, r.info?.fitnessColumn]).toEqual([90, 'cifar10_test_acc']);
  });

  it('reads CIFAR-100 validation from the _nb201 columns, test from NATS (or _nb201 with release nb201)', async () => {
    const table = smallTable();
    const nats = await nasBench201Oracle({ dataset: 'cifar100', table }).evaluate(cell(A), { candidateId: 'x' });
    expect(nats.ok && nats.metrics).toEqual({
      valAccuracy: 73.5, // 94.5 - 21: cifar100_valid_acc_nb201
      testAccuracy: 74.5, // 94.5 - 20: cifar100_test_acc (NATS)
      valRank: 1,
      testRank: 1,
      flops: 184.7361,
      params: 1.294356,
    });
    const old = await nasBench201Oracle({ dataset: 'cifar100', table, release: 'nb201' }).evaluate(cell(A), { candidateId: 'x' });
    expect(old.ok && old.metrics.testAccuracy).toBe(74); // cifar100_test_acc_nb201
    const image = await nasBench201Oracle({ dataset: 'imagenet16-120', table, fitness: 'test' }).evaluate(cell(A), {
      candidateId: 'x',
    });
    expect(image.ok && [image.fitness, image.metrics.valAccuracy, image.metrics.flops]).toEqual([49.5, 48.5, 46.1902]);
  });

  it('reads a plain (not gzip) CSV too', async () => {
    const oracle = nasBench201Oracle({ dataset: 'cifar10', table: smallTable({ gzip: false }) });
    const r = await oracle.evaluate(cell(C), { candidateId: 'x' });
    expect(r.ok && r.fitness).toBe(87);
  });

  it('fails with evaluation for a cell missing from the table or a malformed model', async () => {
    const table = smallTable();
    const oracle = nasBench201Oracle({ dataset: 'cifar10', table });
    const missing = await oracle.evaluate(cell([P, P, P, P, P, P]), { candidateId: 'x' });
    expect(missing).toEqual({
      ok: false,
      failure: {
        reason: 'evaluation',
        message: `arch ${formatArch([P, P, P, P, P, P])} is not in the table ${table} (4 rows); use the full 15,625-row table`,
      },
    });
    const malformed = await oracle.evaluate({ arch: 'x', ops: ['conv'] } as never, { candidateId: 'x' });
    expect(malformed.ok || malformed.failure.reason).toBe('evaluation');
    const inconsistent = await oracle.evaluate({ arch: formatArch(A), ops: B } as NasBench201Cell, { candidateId: 'x' });
    expect(inconsistent.ok || inconsistent.failure.message).toContain('does not match its ops');
  });

  it('loads the table once and shares it between concurrent calls and evaluators', async () => {
    const table = smallTable();
    const one = nasBench201Oracle({ dataset: 'cifar10', table });
    const two = nasBench201Oracle({ dataset: 'cifar100', table });
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => (i % 2 ? one : two).evaluate(cell(i % 3 ? A : B), { candidateId: `c${i}` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const shared = await loadNb201Table(table);
    expect(await one.table()).toBe(shared);
    expect(await two.table()).toBe(shared);
  });

  it('spreads into a config as { space, evaluator }', () => {
    const preset = nasBench201({ dataset: 'cifar100', table: smallTable() });
    expect(Object.keys(preset).sort()).toEqual(['evaluator', 'space']);
    expect(preset.evaluator.dataset).toBe('cifar100');
    expect(preset.space.descriptors[0]?.bounds[1]).toBeCloseTo(220.12554, 5);
  });
});

describe('table validation', () => {
  it('names the file and the missing column', async () => {
    const header = TABLE_COLUMNS.filter((c) => c !== 'cifar100_valid_acc_nb201');
    const table = writeTable([row(0, A, 90)], { header });
    const oracle = nasBench201Oracle({ dataset: 'cifar10', table });
    await expect(oracle.check()).rejects.toThrow(`NAS-Bench-201 table ${table} lacks column "cifar100_valid_acc_nb201"`);
    const r = await oracle.evaluate(cell(A), { candidateId: 'x' });
    expect(r.ok || r.failure).toEqual({ reason: 'evaluation', message: expect.stringContaining('lacks column "cifar100_valid_acc_nb201"') });
  });

  it('names the line and column of a bad value, a non-canonical or duplicated arch', async () => {
    const bad = writeTable([row(0, A, 90), row(1, B, 80, { cifar10_valid_acc: 'n/a' })]);
    await expect(loadNb201Table(bad)).rejects.toThrow(`NAS-Bench-201 table ${bad}, line 3: column "cifar10_valid_acc" must be a number, got "n/a"`);
    const dup = writeTable([row(0, A, 90), row(1, A, 80)]);
    await expect(loadNb201Table(dup)).rejects.toThrow(/line 3: arch .* already appears on line 2/);
    const alias = writeTable([row(0, A, 90, { arch: '|conv3x3~0|+|conv3x3~0|conv3x3~1|+|skip~0|conv3x3~1|conv3x3~2|' })]);
    await expect(loadNb201Table(alias)).rejects.toThrow(/line 2: column "arch" holds .* which is not the canonical form/);
    const garbage = join(tempDir(), 'nb201.csv.gz');
    writeFileSync(garbage, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    await expect(loadNb201Table(garbage)).rejects.toThrow(`NAS-Bench-201 table ${garbage} is not a valid gzip file`);
    const ragged = join(tempDir(), 'nb201.csv.gz');
    writeFileSync(ragged, gzipSync(`${TABLE_COLUMNS.join(',')}\n0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,1,2\n`));
    await expect(loadNb201Table(ragged)).rejects.toThrow(`NAS-Bench-201 table ${ragged} is not valid CSV`);
  });
});

describe('finding the table', () => {
  it('says where it looked and how to provide it, when downloading is off', async () => {
    const cacheDir = tempDir();
    vi.stubEnv('LLMATIC_NB201_TABLE', '');
    const oracle = nasBench201Oracle({ dataset: 'cifar10', cacheDir, download: false });
    const expected = join(cacheDir, 'nb201.csv.gz');
    await expect(oracle.check()).rejects.toThrow(
      `NAS-Bench-201 table not found: the \`table\` option is not set, LLMATIC_NB201_TABLE is not set, and the cache file ${expected} does not exist. Building it from its public sources is off (download: false).`,
    );
    const message = await oracle.check().catch((e: Error) => e.message);
    expect(message).toContain("nasBench201({ dataset, table: '/path/to/nb201.csv.gz' })");
    expect(message).toContain('export LLMATIC_NB201_TABLE=/path/to/nb201.csv.gz');
    expect(message).toContain(`copy it into the cache folder: ${expected}`);
    const r = await oracle.evaluate(cell(A), { candidateId: 'x' });
    expect(r.ok || r.failure.reason).toBe('evaluation');
  });

  it('tries to build the table from the pinned sources, then explains how to provide it', async () => {
    const cacheDir = tempDir();
    vi.stubEnv('LLMATIC_NB201_TABLE', '');
    const asked: string[] = [];
    const offline: FetchLike = (url) => {
      asked.push(url);
      return Promise.reject(new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND raw.githubusercontent.com') }));
    };
    const oracle = nasBench201Oracle({ dataset: 'cifar10', cacheDir, fetch: offline });
    const message = await oracle.check().catch((e: Error) => e.message);
    expect(message).toContain('Building it from its public sources failed (no internet?): could not download');
    expect(message).toContain('ENOTFOUND');
    expect(message).toContain('export LLMATIC_NB201_TABLE=/path/to/nb201.csv.gz');
    expect(asked).toContain(NB201_SOURCES.natsTest.urls[0]);
    expect(asked.every((u) => /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\//.test(u))).toBe(true);
  });

  it('rejects a source whose content is not the pinned blob', async () => {
    const cacheDir = tempDir();
    vi.stubEnv('LLMATIC_NB201_TABLE', '');
    const tampered: FetchLike = () => Promise.resolve(new Response('not the file'));
    const message = await nasBench201Oracle({ dataset: 'cifar10', cacheDir, fetch: tampered })
      .check()
      .catch((e: Error) => e.message);
    expect(message).toMatch(/content has git blob [0-9a-f]{40}, expected a15806cde5e774239a51874d4ba1db74950a5127/);
  });

  it('names a wrong `table` path or LLMATIC_NB201_TABLE', async () => {
    const nowhere = join(tempDir(), 'missing.csv.gz');
    await expect(nasBench201Oracle({ dataset: 'cifar10', table: nowhere }).check()).rejects.toThrow(
      `NAS-Bench-201 table not found at ${nowhere} (the \`table\` option).`,
    );
    vi.stubEnv('LLMATIC_NB201_TABLE', nowhere);
    await expect(nasBench201Oracle({ dataset: 'cifar10', download: false }).check()).rejects.toThrow(
      `NAS-Bench-201 table not found at ${nowhere} (environment variable LLMATIC_NB201_TABLE). Fix or unset LLMATIC_NB201_TABLE.`,
    );
  });

  it('prefers the option, then LLMATIC_NB201_TABLE, then the cache', async () => {
    const viaOption = smallTable();
    const viaEnv = writeTable([row(1, A, 50)]);
    const cacheDir = tempDir();
    writeFileSync(join(cacheDir, 'nb201.csv.gz'), gzipSync(`${TABLE_COLUMNS.join(',')}\n${Object.values(row(2, A, 60)).join(',')}\n`));
    vi.stubEnv('LLMATIC_NB201_TABLE', viaEnv);
    const fitness = async (options: { table?: string; cacheDir?: string }) => {
      const r = await nasBench201Oracle({ dataset: 'cifar10', fitness: 'test', download: false, ...options }).evaluate(cell(A), {
        candidateId: 'x',
      });
      return r.ok ? r.fitness : r.failure.message;
    };
    expect(await fitness({ table: viaOption, cacheDir })).toBe(94.5);
    expect(await fitness({ cacheDir })).toBe(50);
    vi.stubEnv('LLMATIC_NB201_TABLE', '');
    expect(await fitness({ cacheDir })).toBe(60);
  });

  it('defaults the cache to $XDG_CACHE_HOME/llmatic, else ~/.cache/llmatic', () => {
    expect(cacheFile(undefined, { XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/llmatic/nb201.csv.gz');
    expect(cacheFile(undefined, {})).toMatch(/\/\.cache\/llmatic\/nb201\.csv\.gz$/);
    expect(cacheFile('/somewhere', { XDG_CACHE_HOME: '/xdg' })).toBe('/somewhere/nb201.csv.gz');
  });

  it('retries a failed load once the table is provided', async () => {
    const dir = tempDir();
    const file = join(dir, 'later', 'nb201.csv.gz');
    const oracle = nasBench201Oracle({ dataset: 'cifar10', table: file });
    expect((await oracle.evaluate(cell(A), { candidateId: 'x' })).ok).toBe(false);
    mkdirSync(join(dir, 'later'));
    writeFileSync(file, gzipSync(`${TABLE_COLUMNS.join(',')}\n${Object.values(row(0, A, 70)).join(',')}\n`));
    const r = await oracle.evaluate(cell(A), { candidateId: 'y' });
    expect(r.ok && r.metrics.testAccuracy).toBe(70);
  });
});
