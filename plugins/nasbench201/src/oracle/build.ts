import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { parseArch } from '../cell/arch.js';
import { cellFlops, cellParams } from '../cost/cost.js';
import { TABLE_COLUMNS } from './columns.js';
import { NB201_SIZE, NB201_SOURCES, NB201_TABLE_SHA256, type Nb201Sources, type SourceFile } from './sources.js';
import { NasBench201TableError } from './table.js';

/** The part of `fetch` the download uses (the global `fetch` fits). */
export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; statusText: string; arrayBuffer(): Promise<ArrayBuffer> }>;

/** Git blob id of `content`: SHA-1 of `blob <size>\0` followed by the content. */
export function gitBlobId(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export const sha256 = (content: Uint8Array | string): string => createHash('sha256').update(content).digest('hex');

/** Downloads one source file, trying its addresses in order, and checks its git blob id. */
export async function fetchSource(source: SourceFile, fetchImpl: FetchLike, timeoutMs: number): Promise<Buffer> {
  const problems: string[] = [];
  for (const url of source.urls) {
    try {
      const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) {
        problems.push(`${url}: HTTP ${response.status} ${response.statusText}`);
        continue;
      }
      const content = Buffer.from(await response.arrayBuffer());
      const blob = gitBlobId(content);
      if (blob !== source.gitBlob) {
        problems.push(`${url}: content has git blob ${blob}, expected ${source.gitBlob}`);
        continue;
      }
      return content;
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      problems.push(`${url}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
    }
  }
  throw new NasBench201TableError(`could not download ${source.name}: ${problems.join('; ')}`);
}

const num = z.coerce.number().refine(Number.isFinite, 'expected a finite number');

const natsTestRow = z.object({
  CIFAR10TestAccuracy200Epochs: num,
  CIFAR100TestAccuracy200Epochs: num,
  ImageNetTestAccuracy200Epochs: num,
  ArchitectureString: z.string(),
});
const natsValidRow = z.object({
  index: z.coerce.number().int(),
  arch_str: z.string(),
  'valid-accuracy': num,
  'train-all-time': num,
});
const nb201Json = z.record(z.string(), z.object({ val_acc_200: z.number(), test_acc_200: z.number() }));

function readCsv<T>(content: Buffer, schema: z.ZodType<T>, name: string): T[] {
  const rows: unknown = parse(content, { columns: true, skip_empty_lines: true, bom: true });
  const parsed = z.array(schema).safeParse(rows);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NasBench201TableError(
      `${name} does not have the expected format: ${issue ? `${issue.path.join('.')}: ${issue.message}` : parsed.error.message}`,
    );
  }
  return parsed.data;
}

function readJson(content: Buffer, name: string): z.infer<typeof nb201Json> {
  const parsed = nb201Json.safeParse(JSON.parse(content.toString('utf8')));
  if (!parsed.success) throw new NasBench201TableError(`${name} does not have the expected format: ${parsed.error.message}`);
  return parsed.data;
}

/** The downloaded contents of every source. */
export interface SourceContents {
  natsTest: Buffer;
  natsValid: Buffer;
  nb201Cifar10: Buffer;
  nb201Cifar100: Buffer;
  nb201Imagenet: Buffer;
}

/**
 * Assembles the table's CSV text from the sources, as the README describes: A gives the row order
 * (= index), arch and NATS test accuracies; B (checked row by row against A) the CIFAR-10
 * validation accuracy and training time; C the `_nb201` columns; FLOPs and params follow from the
 * cell. Accuracies are written with 4 decimals, time with 1, FLOPs with 5 and params with 6.
 */
export function assembleTableCsv(contents: SourceContents, sources: Nb201Sources = NB201_SOURCES): string {
  const a = readCsv(contents.natsTest, natsTestRow, sources.natsTest.name);
  const b = readCsv(contents.natsValid, natsValidRow, sources.natsValid.name);
  const c10 = readJson(contents.nb201Cifar10, sources.nb201Cifar10.name);
  const c100 = readJson(contents.nb201Cifar100, sources.nb201Cifar100.name);
  const cImage = readJson(contents.nb201Imagenet, sources.nb201Imagenet.name);
  if (a.length !== NB201_SIZE || b.length !== NB201_SIZE) {
    throw new NasBench201TableError(
      `the sources have ${a.length} and ${b.length} rows, expected ${NB201_SIZE} each (${sources.natsTest.name}; ${sources.natsValid.name})`,
    );
  }
  const acc = (x: number) => x.toFixed(4);
  const lines = [TABLE_COLUMNS.join(',')];
  for (let i = 0; i < NB201_SIZE; i++) {
    const ra = a[i];
    const rb = b[i];
    if (!ra || !rb) throw new NasBench201TableError(`row ${i} is missing in the sources`);
    const arch = ra.ArchitectureString;
    if (rb.index !== i || rb.arch_str !== arch) {
      throw new NasBench201TableError(
        `the sources disagree at row ${i}: ${sources.natsTest.name} has ${arch}, ${sources.natsValid.name} has index ${rb.index} ${rb.arch_str}`,
      );
    }
    const parsed = parseArch(arch);
    if (!parsed.ok) throw new NasBench201TableError(`row ${i} of ${sources.natsTest.name}: ${parsed.message}`);
    const { ops } = parsed.cell;
    const pick = (json: z.infer<typeof nb201Json>, name: string) => {
      const entry = json[arch];
      if (!entry) throw new NasBench201TableError(`${name} has no entry for ${arch}`);
      return entry;
    };
    const n10 = pick(c10, sources.nb201Cifar10.name);
    const n100 = pick(c100, sources.nb201Cifar100.name);
    const nImage = pick(cImage, sources.nb201Imagenet.name);
    lines.push(
      [
        String(i),
        arch,
        acc(ra.CIFAR10TestAccuracy200Epochs),
        acc(rb['valid-accuracy']),
        rb['train-all-time'].toFixed(1),
        acc(ra.CIFAR100TestAccuracy200Epochs),
        acc(ra.ImageNetTestAccuracy200Epochs),
        acc(n10.test_acc_200),
        acc(n10.val_acc_200),
        acc(n100.test_acc_200),
        acc(n100.val_acc_200),
        acc(nImage.test_acc_200),
        acc(nImage.val_acc_200),
        cellFlops(ops, 'cifar10').toFixed(5),
        cellParams(ops, 'cifar10').toFixed(6),
        cellFlops(ops, 'cifar100').toFixed(5),
        cellParams(ops, 'cifar100').toFixed(6),
        cellFlops(ops, 'imagenet16-120').toFixed(5),
        cellParams(ops, 'imagenet16-120').toFixed(6),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface BuildOptions {
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Default: {@link NB201_SOURCES}. */
  sources?: Nb201Sources;
  /** SHA-256 the CSV text must have; default {@link NB201_TABLE_SHA256}. */
  expectedSha256?: string;
  /** Per-request timeout; default 120 s. */
  timeoutMs?: number;
}

/**
 * Downloads the sources, assembles the table, checks the SHA-256 of its CSV text against the
 * published one and writes it gzip-compressed to `destination` (atomically: a reader never sees
 * a partial file). Throws {@link NasBench201TableError} naming what failed.
 */
export async function buildNb201Table(destination: string, options: BuildOptions = {}): Promise<void> {
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const sources = options.sources ?? NB201_SOURCES;
  const timeout = options.timeoutMs ?? 120_000;
  const expected = options.expectedSha256 ?? NB201_TABLE_SHA256;
  const [natsTest, natsValid, nb201Cifar10, nb201Cifar100, nb201Imagenet] = await Promise.all(
    [sources.natsTest, sources.natsValid, sources.nb201Cifar10, sources.nb201Cifar100, sources.nb201Imagenet].map((s) =>
      fetchSource(s, fetchImpl, timeout),
    ),
  );
  const csv = assembleTableCsv(
    {
      natsTest: natsTest as Buffer,
      natsValid: natsValid as Buffer,
      nb201Cifar10: nb201Cifar10 as Buffer,
      nb201Cifar100: nb201Cifar100 as Buffer,
      nb201Imagenet: nb201Imagenet as Buffer,
    },
    sources,
  );
  const digest = sha256(csv);
  if (digest !== expected) {
    throw new NasBench201TableError(
      `the table built from the public sources has SHA-256 ${digest}, expected ${expected}; it was not saved`,
    );
  }
  await mkdir(dirname(destination), { recursive: true });
  const partial = `${destination}.${process.pid}.${Date.now()}.partial`;
  try {
    await writeFile(partial, gzipSync(csv, { level: 9 }));
    await rename(partial, destination);
  } catch (error) {
    await rm(partial, { force: true });
    throw new NasBench201TableError(`could not write the NAS-Bench-201 table to ${destination}: ${(error as Error).message}`);
  }
}
