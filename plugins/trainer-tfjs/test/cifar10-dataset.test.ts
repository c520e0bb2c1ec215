import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { c as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cifar10Dataset, readCifarBatch, CIFAR10_RECORD_BYTES, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from '@llmatic/trainer-tfjs';

const RECORDS = 20;

/** A record in the official layout whose pixel values encode (record, channel, row, col). */
function record(label: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(CIFAR10_RECORD_BYTES);
  bytes[0] = label;
  for (let channel = 0; channel < 3; channel++) {
    for (let p = 0; p < 1024; p++) bytes[1 + channel * 1024 + p] = (seed * 7 + channel * 50 + p) % 256;
  }
  return bytes;
}

async function writeBatch(file: string, firstSeed: number): Promise<void> {
  const chunks: Uint8Array[] = [];
  for (let r = 0; r < RECORDS; r++) chunks.push(record((firstSeed + r) % 10, firstSeed + r));
  await writeFile(file, Buffer.concat(chunks));
}

let root: string;
let batches: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cifar-test-'));
  batches = join(root, 'cifar-10-batches-bin');
  await mkdir(batches);
  for (const [i, file] of CIFAR10_TRAIN_FILES.entries()) await writeBatch(join(batches, file), i * RECORDS);
  await writeBatch(join(batches, CIFAR10_TEST_FILE), 1000);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readCifarBatch', () => {
  it('reads records as HWC float images in [0, 1] with their labels', async () => {
    const { images, labels } = await readCifarBatch(join(batches, 'data_batch_2.bin'));
    expect(labels.length).toBe(RECORDS);
    expect(labels[3]).toBe((RECORDS + 3) % 10);
    // Record 3 of batch 2 has seed 23; pixel (row 1, col 2) is p = 34, channel c at (23*7 + 50c + 34) % 256.
    const base = 3 * 3072 + (1 * 32 + 2) * 3;
    expect(images[base]! * 255).toBeCloseTo((23 * 7 + 34) % 256, 3);
    expect(images[base + 1]! * 255).toBeCloseTo((23 * 7 + 50 + 34) % 256, 3);
    expect(images[base + 2]! * 255).toBeCloseTo((23 * 7 + 100 + 34) % 256, 3);
  });

  it('rejects a truncated file with a clear error', async () => {
    const file = join(root, 'truncated.bin');
    const full = await readFile(join(batches, 'data_batch_1.bin'));
    await writeFile(file, full.subarray(0, full.length - 100));
    await expect(readCifarBatch(file)).rejects.toThrow(/truncated or corrupt: 61360 bytes is not a whole number of 3073-byte records/);
  });

  it('rejects a record whose label is not a CIFAR-10 class', async () => {
    const file = join(root, 'bad-label.bin');
    const bytes = Buffer.from(await readFile(join(batches, 'data_batch_1.bin')));
    bytes[5 * CIFAR10_RECORD_BYTES] = 42;
    await writeFile(file, bytes);
    await expect(readCifarBatch(file)).rejects.toThrow(/record 5 has label 42/);
  });
});

describe('cifar10Dataset', () => {
  it('holds the validation split out of the training batches and tests on test_batch', async () => {
    const dataset = cifar10Dataset({ dir: root, validation: 30 });
    expect(dataset).toMatchObject({ name: 'cifar10', inputShape: [32, 32, 3], numClasses: 10 });
    const { train, validation, test } = await dataset.load();
    expect([train.labels.length, validation.labels.length, test.labels.length]).toEqual([70, 30, RECORDS]);
    expect(test.images.length).toBe(RECORDS * 3072);
    // Together, train and validation are exactly the 100 training records.
    const firstPixels = [...Array.from({ length: 70 }, (_, i) => train.images[i * 3072]!), ...Array.from({ length: 30 }, (_, i) => validation.images[i * 3072]!)];
    const expected = Array.from({ length: 100 }, (_, seed) => ((seed * 7) % 256) / 255);
    expect(firstPixels.map((v) => Math.round(v * 255)).sort((a, b) => a - b)).toEqual(expected.map((v) => Math.round(v * 255)).sort((a, b) => a - b));
  });

  it('says what is missing when the folder has no batches and download is off', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'cifar-empty-'));
    await expect(cifar10Dataset({ dir: empty }).load()).rejects.toThrow(/holds no complete CIFAR-10 binary batches/);
    await expect(cifar10Dataset({ cacheDir: empty, download: false }).load()).rejects.toThrow(/download is false/);
    await rm(empty, { recursive: true, force: true });
  });

  describe('download', () => {
    let server: Server;
    let archive: Buffer;
    let base: string;
    beforeAll(async () => {
      const tarFile = join(root, 'cifar-10-binary.tar.gz');
      await createTar({ gzip: true, file: tarFile, cwd: root }, ['cifar-10-batches-bin']);
      archive = await readFile(tarFile);
      server = createServer((req, res) => {
        if (req.url === '/cifar-10-binary.tar.gz') res.end(archive);
        else if (req.url === '/corrupt.tar.gz') res.end(archive.subarray(0, 1000));
        else {
          res.statusCode = 404;
          res.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('downloads, checks the SHA-256, unpacks into the cache and loads', async () => {
      const cacheDir = await mkdtemp(join(tmpdir(), 'cifar-cache-'));
      const sha256 = createHash('sha256').update(archive).digest('hex');
      const { train, test } = await cifar10Dataset({ cacheDir, url: `${base}/cifar-10-binary.tar.gz`, sha256, validation: 10 }).load();
      expect(train.labels.length).toBe(90);
      expect(test.labels.length).toBe(RECORDS);
      await rm(cacheDir, { recursive: true, force: true });
    });

    it('refuses a download whose SHA-256 does not match', async () => {
      const cacheDir = await mkdtemp(join(tmpdir(), 'cifar-cache-'));
      await expect(cifar10Dataset({ cacheDir, url: `${base}/corrupt.tar.gz` }).load()).rejects.toThrow(/has SHA-256 [0-9a-f]{64}, expected c4a38c50/);
      await expect(cifar10Dataset({ cacheDir, url: `${base}/missing.tar.gz` }).load()).rejects.toThrow(/HTTP 404/);
      await rm(cacheDir, { recursive: true, force: true });
    });

    it('explains what to do when there is no network', async () => {
      const cacheDir = await mkdtemp(join(tmpdir(), 'cifar-cache-'));
      // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
      await expect(cifar10Dataset({ cacheDir, url: 'http://127.0.0.1:9/cifar-10-binary.tar.gz' }).load()).rejects.toThrow(/Could not download CIFAR-10 .* pass \{ dir \}/);
      await rm(cacheDir, { recursive: true, force: true });
    });
  });
});
