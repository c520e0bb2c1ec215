import type { LayerCatalogue } from '../layers/catalogue.js';
import type { ShimLimits, TfShim } from './tf-shim.js';

/** Options the trusted side bakes into the sandbox prelude. */
export interface SandboxOptions extends ShimLimits {
  inputShape: number[];
  numClasses: number;
}

/** What `collect()` reports, as JSON text. */
export type SandboxReport =
  | { status: 'ok'; topology: unknown }
  | { status: 'error'; reason: 'compile' | 'resource-cap' | 'output-shape' | 'sandbox-violation'; message: string };

/** The driver the runner calls by name (`__llmaticSandbox.run(...)`, `.collect()`). */
export interface SandboxDriver {
  run(candidate: () => unknown): void;
  collect(): string;
}

/**
 * Sets up the candidate's V8 context: the `tf` shim, a silent console, getters that record and
 * refuse every attempt to reach Node (require, process, fetch, ...), and no typed arrays or
 * WebAssembly (their memory would escape the heap cap). Returns the driver that runs the
 * candidate's program and reports the result as a JSON string.
 *
 * SELF-CONTAINED ON PURPOSE: evaluated inside the sandbox from source text, like the catalogue
 * and the shim it receives as arguments.
 */
export function createSandbox(
  createCatalogue: () => LayerCatalogue,
  createShim: (catalogue: LayerCatalogue, limits: ShimLimits) => TfShim,
  options: SandboxOptions,
): SandboxDriver {
  const global = globalThis as unknown as Record<string, unknown>;
  const stringify = JSON.stringify;
  const freeze = Object.freeze;
  const defineProperty = Object.defineProperty;
  const violations: string[] = [];

  const shim = createShim(createCatalogue(), options);

  class SandboxViolation extends Error {}
  const FORBIDDEN: Record<string, string> = {
    require: 'loading modules',
    module: 'loading modules',
    exports: 'loading modules',
    process: 'the Node process: environment, exit, arguments',
    Buffer: 'Node buffers',
    global: 'the Node global object',
    fetch: 'the network',
    XMLHttpRequest: 'the network',
    WebSocket: 'the network',
    Worker: 'threads',
    setTimeout: 'timers',
    setInterval: 'timers',
    setImmediate: 'timers',
    ArrayBuffer: 'raw memory',
    SharedArrayBuffer: 'raw memory',
    DataView: 'raw memory',
    Atomics: 'raw memory',
    WebAssembly: 'WebAssembly',
    Int8Array: 'raw memory',
    Uint8Array: 'raw memory',
    Uint8ClampedArray: 'raw memory',
    Int16Array: 'raw memory',
    Uint16Array: 'raw memory',
    Int32Array: 'raw memory',
    Uint32Array: 'raw memory',
    Float32Array: 'raw memory',
    Float64Array: 'raw memory',
    BigInt64Array: 'raw memory',
    BigUint64Array: 'raw memory',
  };
  for (const [name, what] of Object.entries(FORBIDDEN)) {
    delete global[name];
    defineProperty(global, name, {
      configurable: false,
      enumerable: false,
      get() {
        const message = `the program used '${name}' (${what}), which the sandbox forbids: buildModel may only describe a model`;
        violations.push(message);
        throw new SandboxViolation(message);
      },
      set() {
        const message = `the program assigned '${name}', which the sandbox forbids`;
        violations.push(message);
        throw new SandboxViolation(message);
      },
    });
  }
  const silent = (): void => undefined;
  global.console = freeze({ log: silent, info: silent, warn: silent, error: silent, debug: silent, table: silent });
  defineProperty(global, 'tf', { value: shim.tf, writable: false, configurable: false, enumerable: false });

  let report: SandboxReport | null = null;
  let started = false;

  function where(error: Error): string {
    const match = /candidate\.js:(\d+):(\d+)/.exec(String(error.stack ?? ''));
    return match ? ` (line ${match[1]}, column ${match[2]})` : '';
  }
  /** A string for a value the program made, whatever its getters do (they run here, under the vm timeout). */
  function text(value: unknown, limit = 2_000): string {
    try {
      return (typeof value === 'string' ? value : String(value)).slice(0, limit);
    } catch {
      return `a value that cannot be shown (${typeof value})`;
    }
  }
  function settle(value: unknown): void {
    try {
      report = { status: 'ok', topology: shim.describe(value) };
    } catch (error) {
      reject(error);
    }
  }
  /** Turns whatever the program threw into a plain report; never throws itself. */
  function reject(error: unknown): void {
    try {
      report = classify(error);
    } catch {
      report = { status: 'error', reason: 'compile', message: 'the program threw a value that cannot be inspected' };
    }
  }
  function classify(error: unknown): SandboxReport {
    const reason = shim.reasonOf(error);
    if (reason) return { status: 'error', reason, message: text((error as Error).message) };
    if (error instanceof SandboxViolation) return { status: 'error', reason: 'sandbox-violation', message: text(error.message) };
    if (error instanceof EvalError) {
      const message = `the program tried to run code from a string (eval, Function constructor), which the sandbox forbids: ${text(error.message)}`;
      violations.push(message);
      return { status: 'error', reason: 'sandbox-violation', message };
    }
    if (error instanceof Error) {
      return { status: 'error', reason: 'compile', message: `${text(error.name, 100)}: ${text(error.message)}${where(error)}` };
    }
    let shown: string;
    try {
      shown = stringify(error) ?? String(error);
    } catch {
      shown = typeof error;
    }
    return { status: 'error', reason: 'compile', message: `the program threw ${text(shown, 200)}` };
  }

  return freeze({
    run(candidate: () => unknown): void {
      if (started) return;
      started = true;
      try {
        const buildModel = candidate();
        if (typeof buildModel !== 'function') {
          report = {
            status: 'error',
            reason: 'compile',
            message: 'the program must define function buildModel(tf, { inputShape, numClasses })',
          };
          return;
        }
        const config = freeze({ inputShape: freeze(options.inputShape.slice()), numClasses: options.numClasses });
        const value: unknown = buildModel(shim.tf, config);
        const then = value !== null && typeof value === 'object' ? (value as { then?: unknown }).then : undefined;
        if (typeof then === 'function') {
          then.call(value, settle, reject);
        } else {
          settle(value);
        }
      } catch (error) {
        reject(error);
      }
    },
    collect(): string {
      if (violations.length > 0) {
        return stringify({ status: 'error', reason: 'sandbox-violation', message: violations[0] });
      }
      if (report === null) {
        return stringify({
          status: 'error',
          reason: 'compile',
          message: 'buildModel returned a promise that never settled; return the model (async is allowed but must finish)',
        });
      }
      return stringify(report);
    },
  });
}
