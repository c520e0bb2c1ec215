import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../kernels/register.js';

/**
 * Where training runs, fastest first:
 * - `tfjs-node-gpu`: TensorFlow C library with CUDA (optional peer dependency `@tensorflow/tfjs-node-gpu`);
 * - `tfjs-node`: TensorFlow C library on the CPU (optional peer dependency `@tensorflow/tfjs-node`);
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD) with this package's training kernels;
 * - `cpu`: tfjs's pure-JavaScript backend (slow; a reference).
 */
export type BackendName = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

export const BACKEND_NAMES: readonly BackendName[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/** Loads a module by specifier; injectable so tests can simulate optional packages. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

export interface SelectBackendOptions {
  /** 'auto' (default) takes the first available in {@link BACKEND_NAMES} order; a name forces it. */
  backend?: BackendName | 'auto';
  importer?: ModuleImporter;
  /** wasm threads (Node builds of tfjs-backend-wasm 4.22 run single-threaded anyway). Default 1. */
  wasmThreads?: number;
  log?: (message: string) => void;
}

export interface SelectedBackend {
  name: BackendName;
  /** The tfjs backend id now active: 'tensorflow', 'wasm' or 'cpu'. */
  tfBackend: string;
  /** Why faster candidates were skipped (empty when the first one worked). */
  skipped: Array<{ name: BackendName; reason: string }>;
}

const NATIVE_PACKAGES: Record<'tfjs-node-gpu' | 'tfjs-node', string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

const defaultImporter: ModuleImporter = (specifier) => import(specifier);

/**
 * Activates the training backend and logs the choice. With `backend: 'auto'` a missing or broken
 * candidate is skipped with its reason; a forced backend that cannot start throws an error saying
 * how to install it.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  const wanted = options.backend ?? 'auto';
  const importer = options.importer ?? defaultImporter;
  const candidates = wanted === 'auto' ? BACKEND_NAMES : [wanted];
  const skipped: SelectedBackend['skipped'] = [];
  for (const name of candidates) {
    try {
      const tfBackend = await activate(name, importer, options.wasmThreads ?? 1);
      const selected = { name, tfBackend, skipped };
      const detail = skipped.length ? ` (skipped: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : '';
      options.log?.(`tfjs backend: ${name}${detail}`);
      return selected;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (wanted !== 'auto') throw new Error(`Cannot use the '${name}' backend: ${reason}. ${installHint(name)}`);
      skipped.push({ name, reason: firstLine(reason) });
    }
  }
  throw new Error(`No tfjs backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

async function activate(name: BackendName, importer: ModuleImporter, wasmThreads: number): Promise<string> {
  if (name === 'tfjs-node-gpu' || name === 'tfjs-node') {
    // Importing the package registers the 'tensorflow' backend with the tfjs-core it shares with us.
    await importer(NATIVE_PACKAGES[name]);
    return setOrThrow('tensorflow', `${NATIVE_PACKAGES[name]} loaded but registered no 'tensorflow' backend with this tfjs (are both @tensorflow/* 4.22?)`);
  }
  if (name === 'wasm') {
    const wasm = (await importer('@tensorflow/tfjs-backend-wasm')) as { setThreadsCount?: (n: number) => void };
    wasm.setThreadsCount?.(wasmThreads);
    registerWasmTrainingKernels();
    return setOrThrow('wasm', "the 'wasm' backend is not registered with this tfjs (duplicate @tensorflow/tfjs-core installs?)");
  }
  return setOrThrow('cpu', 'the cpu backend did not initialise');
}

async function setOrThrow(tfBackend: string, message: string): Promise<string> {
  if (!tf.findBackendFactory(tfBackend)) throw new Error(message);
  if (!(await tf.setBackend(tfBackend))) throw new Error(`${message} (initialisation failed)`);
  await tf.ready();
  return tfBackend;
}

function installHint(name: BackendName): string {
  switch (name) {
    case 'tfjs-node-gpu':
      return 'Install it with `npm install @tensorflow/tfjs-node-gpu@4.22.0` (needs CUDA and network access to fetch libtensorflow), or use backend "auto".';
    case 'tfjs-node':
      return 'Install it with `npm install @tensorflow/tfjs-node@4.22.0`, or use backend "auto".';
    default:
      return 'Check that @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm are both version 4.22.0.';
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.replace(/ imported from \S+$/, '').slice(0, 200);
}
