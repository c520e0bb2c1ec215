import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type ModuleImporter } from '@llmatic/trainer-tfjs';

const realImporter: ModuleImporter = (specifier) => import(specifier);

afterEach(async () => {
  if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  await tf.setBackend('cpu');
});

describe('selectBackend', () => {
  it('falls back to wasm when tfjs-node-gpu and tfjs-node are not installed, saying why', async () => {
    const logs: string[] = [];
    const selected = await selectBackend({ importer: realImporter, log: (m) => logs.push(m) });
    expect(selected.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selected.skipped.map((s) => s.name)).toEqual(['tfjs-node-gpu', 'tfjs-node']);
    expect(selected.skipped[0]!.reason).toMatch(/tfjs-node-gpu/);
    expect(logs.join('\n')).toMatch(/tfjs backend: wasm/);
  });

  it('picks tfjs-node-gpu when the package imports and registers its backend', async () => {
    const imported: string[] = [];
    const importer: ModuleImporter = async (specifier) => {
      imported.push(specifier);
      if (specifier !== '@tensorflow/tfjs-node-gpu') throw new Error(`unexpected import ${specifier}`);
      // What the real package does on import: register the 'tensorflow' backend.
      tf.registerBackend('tensorflow', () => tf.findBackend('cpu'));
      return {};
    };
    const selected = await selectBackend({ importer });
    expect(selected).toMatchObject({ name: 'tfjs-node-gpu', tfBackend: 'tensorflow', skipped: [] });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(imported).toEqual(['@tensorflow/tfjs-node-gpu']);
  });

  it('takes tfjs-node when only it is present', async () => {
    const importer: ModuleImporter = async (specifier) => {
      if (specifier === '@tensorflow/tfjs-node') {
        tf.registerBackend('tensorflow', () => tf.findBackend('cpu'));
        return {};
      }
      throw new Error(`Cannot find package '${specifier}'`);
    };
    const selected = await selectBackend({ importer });
    expect(selected.name).toBe('tfjs-node');
    expect(selected.skipped).toEqual([{ name: 'tfjs-node-gpu', reason: "Cannot find package '@tensorflow/tfjs-node-gpu'" }]);
  });

  it('a forced backend that is missing fails with the install command', async () => {
    await expect(selectBackend({ backend: 'tfjs-node-gpu', importer: realImporter })).rejects.toThrow(/npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/);
  });

  it('can force the pure-JS cpu backend even when wasm is available', async () => {
    const selected = await selectBackend({ backend: 'cpu', importer: realImporter });
    expect(selected.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});
