import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '@llmatic/trainer-tfjs';

/** Test helpers: run the same computation on the cpu (reference) and wasm backends. */

let ready = false;
export async function initBackends(): Promise<void> {
  if (ready) return;
  registerWasmTrainingKernels();
  setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
  if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
  ready = true;
}

export interface HostTensor {
  shape: number[];
  values: Float32Array;
}

export function randomHost(shape: number[], seed: number): HostTensor {
  let s = seed >>> 0 || 1;
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    values[i] = (s / 2 ** 32) * 2 - 1;
  }
  return { shape, values };
}

/** Runs `fn` on `backend` with fresh tensors made from host data; returns host copies of the outputs. */
export async function onBackend(
  backend: 'cpu' | 'wasm', inputs: HostTensor[], fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((h) => tf.tensor(h.values, h.shape, 'float32'));
    const out = fn(...xs);
    return (Array.isArray(out) ? out : [out]).map((t) => Float32Array.from(t.dataSync()));
  });
}

/** max |a - b| / max |b|: the error relative to the reference's scale. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  if (Number.isNaN(diff)) return Infinity;
  return scale === 0 ? diff : diff / scale;
}
