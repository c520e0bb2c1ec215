/** What crosses Redis, without Redis: job ids, result encoding, and what a user sees of addresses. */
import { describe, expect, it } from 'vitest';
import type { JobResult } from '@llmatic/core';
import { describeConnection, jobIdOf, queueSettingsOf, queueExecutor } from '@llmatic/executor-queue';
import { attachArtifacts, decodeJob, decodeResult, encodeJob, encodeResult, WIRE_VERSION } from '../src/wire.js';

describe('job ids', () => {
  it('are the same for the same candidate and code in every process, and differ otherwise', () => {
    const job = { candidateId: 'g3-14', code: 'node1 = conv3x3(node0)' };
    expect(jobIdOf(job, undefined)).toBe(jobIdOf({ ...job }, undefined));
    expect(jobIdOf(job, undefined)).toMatch(/^g3-14-[0-9a-f]{20}$/);
    expect(jobIdOf({ ...job, code: `${job.code} ` }, undefined)).not.toBe(jobIdOf(job, undefined));
    expect(jobIdOf(job, 'run-7')).toMatch(/^run-7-g3-14-/);
  });

  it('hold no character BullMQ refuses, and stay unique when a candidate id has one', () => {
    const a = jobIdOf({ candidateId: 'a:b', code: 'x' }, undefined);
    const b = jobIdOf({ candidateId: 'a_b', code: 'x' }, undefined);
    expect(a).not.toContain(':');
    expect(a).not.toBe(b);
  });
});

describe('results on the wire', () => {
  const ok: JobResult = {
    ok: true,
    fitness: 93.1,
    descriptors: [0.2, 0.7],
    metrics: { testAccuracy: 92.5, loss: Number.NaN },
    info: { arch: '|nor_conv_3x3~0|' },
    artifacts: [
      { name: 'model.json', data: new TextEncoder().encode('{"w":1}') },
      { name: 'weights.bin', data: new Uint8Array([0, 255, 128]) },
    ],
    evaluationMs: 12,
  };

  it('keep every field through JSON; artifact bytes travel beside, not in the JSON', () => {
    const { wire, blobs } = encodeResult(ok);
    const json = JSON.parse(JSON.stringify(wire)) as unknown;
    expect(JSON.stringify(json)).not.toContain('"w":1');
    const { result, artifacts } = decodeResult(json);
    expect(artifacts).toEqual([
      { name: 'model.json', bytes: 7 },
      { name: 'weights.bin', bytes: 3 },
    ]);
    const stored = Object.fromEntries(blobs.map((blob, index) => [String(index), Buffer.from(blob)]));
    const joined = attachArtifacts(result, artifacts, stored);
    expect(joined).toEqual(ok);
  });

  it('turn missing artifact bytes into a crash that says why', () => {
    const { wire } = encodeResult(ok);
    const { result, artifacts } = decodeResult(JSON.parse(JSON.stringify(wire)));
    expect(attachArtifacts(result, artifacts, { '0': Buffer.from('{"w":1}') })).toMatchObject({
      ok: false,
      failure: { reason: 'crash', message: expect.stringContaining('artifact weights.bin of this job is missing from Redis') },
    });
  });

  it('turn an unreadable result into a crash naming the bad field', () => {
    expect(decodeResult({ ok: true, fitness: 'high' }).result).toMatchObject({
      ok: false,
      failure: { reason: 'crash', message: expect.stringContaining('fitness') },
    });
  });

  it('keep failures as they are', () => {
    const failed: JobResult = { ok: false, failure: { reason: 'compile', message: 'line 1: unknown op' }, evaluationMs: 1 };
    expect(decodeResult(JSON.parse(JSON.stringify(encodeResult(failed).wire))).result).toEqual(failed);
  });
});

describe('job data on the wire', () => {
  it('round-trips, and a worker of another version says what to do', () => {
    const job = { candidateId: 'seed', code: 'x' };
    expect(decodeJob(encodeJob(job))).toEqual({ ok: true, job });
    expect(decodeJob({ ...encodeJob(job), v: WIRE_VERSION + 1 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('run the same @llmatic/executor-queue version on the coordinator and the workers'),
    });
    expect(decodeJob({ code: 1 })).toMatchObject({ ok: false, message: expect.stringContaining('malformed job data') });
  });
});

describe('what users see', () => {
  it('masks passwords in addresses', () => {
    expect(describeConnection('redis://:s3cret@10.0.0.5:6379/2')).toBe('redis://:***@10.0.0.5:6379/2');
    expect(describeConnection({ host: '10.0.0.5', port: 6380, password: 's3cret' })).toBe('redis://10.0.0.5:6380');
  });

  it('lets `llmatic worker` find the queue settings of a config, and connects to nothing until used', () => {
    const executor = queueExecutor({ connection: 'redis://127.0.0.1:1', queue: 'nb201', attempts: 3, lockMs: 5_000 });
    expect(queueSettingsOf(executor)).toMatchObject({ connection: 'redis://127.0.0.1:1', queue: 'nb201', attempts: 3, lockMs: 5_000, stalledCheckMs: 15_000 });
    expect(queueSettingsOf({ run: () => undefined, close: () => undefined })).toBeUndefined();
    expect(queueSettingsOf('workers')).toBeUndefined();
  });

  it('treats an empty connection (an unset environment variable) as none', () => {
    expect(queueSettingsOf(queueExecutor({ connection: '' }))?.connection).toBeUndefined();
  });
});
