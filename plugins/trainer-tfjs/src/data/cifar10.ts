import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { x as extractTar } from 'tar';
import { z } from 'zod';
import { checkSplits, type Dataset, type DatasetSplits } from './dataset.js';
import { gather, permutation } from './shuffle.js';

/** The official CIFAR-10 binary distribution and its SHA-256 (170,052,171 bytes). */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
export const CIFAR10_SHA256 = 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd';
export const CIFAR10_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'] as const;
export const CIFAR10_TEST_FILE = 'test_batch.bin';
/** One record: a label byte, then 1024 red, 1024 green and 1024 blue bytes (each 32x32 row-major). */
export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;
const FOLDER = 'cifar-10-batches-bin';

const optionsSchema = z.object({
  dir: z.string().min(1).optional(),
  cacheDir: z.string().min(1).optional(),
  download: z.boolean().default(true),
  validation: z.number().int().positive().default(5000),
  train: z.number().int().positive().optional(),
  test: z.number().int().positive().optional(),
  seed: z.number().int().default(0),
  url: z.string().url().default(CIFAR10_URL),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).default(CIFAR10_SHA256),
}).strict();

/**
 * Options of {@link cifar10Dataset}.
 * - `dir`: a folder holding `data_batch_1.bin` ... `data_batch_5.bin` and `test_batch.bin`
 *   (directly or in `cifar-10-batches-bin/`); nothing is downloaded.
 * - `cacheDir`: where the archive is downloaded and unpacked when `dir` is not given
 *   (default `~/.cache/llmatic/cifar-10`); `download: false` forbids the download.
 * - `validation`: images held out of the 50,000 training images (default 5,000);
 *   `train` / `test` optionally cap the split sizes; `seed` picks the held-out images.
 */
export type Cifar10Options = z.input<typeof optionsSchema>;

/**
 * CIFAR-10 from the official binary distribution: 32x32x3 images in HWC order, pixels scaled to
 * [0, 1] (byte / 255), 10 classes. The validation split is held out from the training batches;
 * the test split is `test_batch.bin`.
 */
export function cifar10Dataset(options: Cifar10Options = {}): Dataset {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new Error(`cifar10Dataset: invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const opts = parsed.data;
  const meta = { name: 'cifar10', inputShape: [32, 32, 3] as const, numClasses: 10 };
  return {
    ...meta,
    load: async () => {
      const folder = await locateBatches(opts);
      const trainParts = await Promise.all(CIFAR10_TRAIN_FILES.map((f) => readCifarBatch(join(folder, f))));
      const all = concatBatches(trainParts);
      const testAll = await readCifarBatch(join(folder, CIFAR10_TEST_FILE));
      const n = all.labels.length;
      if (opts.validation >= n) {
        throw new Error(`cifar10Dataset: validation (${opts.validation}) must be smaller than the ${n} training images.`);
      }
      const order = permutation(n, opts.seed);
      const trainEnd = Math.min(n, opts.validation + (opts.train ?? n));
      const testCount = Math.min(testAll.labels.length, opts.test ?? testAll.labels.length);
      const pixels = 32 * 32 * 3;
      const splits: DatasetSplits = {
        validation: gather(all.images, all.labels, pixels, order.subarray(0, opts.validation)),
        train: gather(all.images, all.labels, pixels, order.subarray(opts.validation, trainEnd)),
        test: testCount === testAll.labels.length
          ? testAll
          : gather(testAll.images, testAll.labels, pixels, Int32Array.from({ length: testCount }, (_, i) => i)),
      };
      checkSplits(meta, splits);
      return splits;
    },
  };
}

/**
 * Reads one CIFAR-10 binary batch file: records of 1 label byte + 3072 pixel bytes in CHW order.
 * Returns HWC float images in [0, 1]. Throws on a truncated file or an impossible label.
 */
export async function readCifarBatch(file: string): Promise<{ images: Float32Array; labels: Uint8Array }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new Error(`Cannot read CIFAR-10 batch ${file}: ${(error as Error).message}`);
  }
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new Error(`CIFAR-10 batch ${file} is truncated or corrupt: ${bytes.length} bytes is not a whole number of ${CIFAR10_RECORD_BYTES}-byte records (1 label + 3072 pixels). Delete it and download the archive again.`);
  }
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  const images = new Float32Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const base = r * CIFAR10_RECORD_BYTES;
    const label = bytes[base]!;
    if (label > 9) {
      throw new Error(`CIFAR-10 batch ${file} is corrupt: record ${r} has label ${label}, not a class 0-9. Delete it and download the archive again.`);
    }
    labels[r] = label;
    const out = r * 3072;
    for (let p = 0; p < 1024; p++) {
      images[out + p * 3] = bytes[base + 1 + p]! / 255;
      images[out + p * 3 + 1] = bytes[base + 1 + 1024 + p]! / 255;
      images[out + p * 3 + 2] = bytes[base + 1 + 2048 + p]! / 255;
    }
  }
  return { images, labels };
}

function concatBatches(parts: Array<{ images: Float32Array; labels: Uint8Array }>): { images: Float32Array; labels: Uint8Array } {
  const count = parts.reduce((n, p) => n + p.labels.length, 0);
  const images = new Float32Array(count * 3072);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const part of parts) {
    images.set(part.images, at * 3072);
    labels.set(part.labels, at);
    at += part.labels.length;
  }
  return { images, labels };
}

type ParsedOptions = z.output<typeof optionsSchema>;

async function locateBatches(opts: ParsedOptions): Promise<string> {
  if (opts.dir) {
    for (const candidate of [opts.dir, join(opts.dir, FOLDER)]) {
      if (hasAllBatches(candidate)) return candidate;
    }
    throw new Error(`cifar10Dataset: ${opts.dir} holds no complete CIFAR-10 binary batches (${[...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].join(', ')}), neither directly nor in ${FOLDER}/. Unpack cifar-10-binary.tar.gz there, or omit dir to download into the cache.`);
  }
  const cacheDir = opts.cacheDir ?? join(homedir(), '.cache', 'llmatic', 'cifar-10');
  const folder = join(cacheDir, FOLDER);
  if (hasAllBatches(folder)) return folder;
  if (!opts.download) {
    throw new Error(`cifar10Dataset: CIFAR-10 is not in ${folder} and download is false. Pass { dir } pointing at the unpacked batches, or allow the download.`);
  }
  await downloadCifar10(cacheDir, opts.url, opts.sha256);
  if (!hasAllBatches(folder)) throw new Error(`cifar10Dataset: the archive from ${opts.url} did not contain the ${FOLDER}/ batches.`);
  return folder;
}

function hasAllBatches(folder: string): boolean {
  return [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].every((f) => existsSync(join(folder, f)));
}

/**
 * Downloads the archive into `cacheDir`, checks its SHA-256 and unpacks the batch files.
 * The archive is kept (re-used if a later unpack is needed) only when its checksum matched.
 */
export async function downloadCifar10(cacheDir: string, url = CIFAR10_URL, sha256 = CIFAR10_SHA256): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const archive = join(cacheDir, 'cifar-10-binary.tar.gz');
  if (!existsSync(archive) || (await fileSha256(archive)) !== sha256) {
    const partial = `${archive}.part`;
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw new Error(`Could not download CIFAR-10 from ${url}: ${describeFetchError(error)}. Without internet access, copy cifar-10-binary.tar.gz (or its unpacked ${FOLDER}/) onto this machine and pass { dir }.`);
    }
    if (!response.ok || !response.body) {
      throw new Error(`Could not download CIFAR-10 from ${url}: HTTP ${response.status} ${response.statusText}. Pass { dir } with a local copy instead.`);
    }
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(partial));
    const actual = await fileSha256(partial);
    if (actual !== sha256) {
      await rm(partial, { force: true });
      throw new Error(`The CIFAR-10 download from ${url} has SHA-256 ${actual}, expected ${sha256}: the file is corrupt or not the official archive. Try again, or pass { dir } with a verified copy.`);
    }
    await rename(partial, archive);
  }
  await extractTar({ file: archive, cwd: cacheDir, filter: (path) => path.startsWith(`${FOLDER}/`) && path.endsWith('.bin') });
}

async function fileSha256(file: string): Promise<string> {
  if (!(await stat(file)).isFile()) throw new Error(`${file} is not a file`);
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
