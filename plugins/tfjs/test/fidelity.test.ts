// The shim must describe exactly the model real TensorFlow.js builds from the same program, in a
// form tfjs's modelFromJSON accepts. Each program runs twice: with real tfjs, and in the sandbox.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsCompiler, type TfjsModelSpec } from '@llmatic/tfjs';
import { PROGRAMS, sourceOf } from './programs.js';

const inputShape = [8, 8, 3];
const numClasses = 5;
const compiler = tfjsCompiler({ inputShape, numClasses });

interface LayerFacts {
  className: string;
  outputShape: string;
  params: number;
  config: string;
}

/**
 * Canonical text of a config: sorted keys, and undefined written as null, as tfjs's own toJSON
 * does (tfjs reads both the same way).
 */
function canonical(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Layer facts without names (which differ) and without what only Sequential puts in configs. */
function facts(model: tf.LayersModel): LayerFacts[] {
  return model.layers
    .filter((layer) => layer.getClassName() !== 'InputLayer')
    .map((layer) => {
      const { name: _name, batchInputShape: _batch, dtype: _dtype, ...config } = layer.getConfig();
      return {
        className: layer.getClassName(),
        outputShape: JSON.stringify(layer.outputShape),
        params: layer.countParams(),
        config: canonical(config),
      };
    })
    .sort((a, b) => (a.className + a.config < b.className + b.config ? -1 : 1));
}

async function compileOrThrow(source: string): Promise<TfjsModelSpec> {
  const result = await compiler.compile(source);
  if (!result.ok) throw new Error(`${result.failure.reason}: ${result.failure.message}`);
  return result.model;
}

/** What a trainer does: the spec crosses a process boundary as JSON, then tfjs rebuilds it. */
function rebuild(spec: TfjsModelSpec): Promise<tf.LayersModel> {
  const received = JSON.parse(JSON.stringify(spec)) as TfjsModelSpec;
  return tf.models.modelFromJSON({ modelTopology: received.topology });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the shim describes what real tfjs builds', () => {
  for (const [name, program] of Object.entries(PROGRAMS)) {
    it(`${name}: same layers, configs, shapes and parameters; modelFromJSON rebuilds it`, async () => {
      const real = await program(tf, { inputShape, numClasses });
      const spec = await compileOrThrow(sourceOf(program));
      const rebuilt = await rebuild(spec);

      expect(spec.params).toBe(real.countParams());
      expect(rebuilt.countParams()).toBe(real.countParams());
      expect(rebuilt.outputs[0]?.shape).toEqual([null, numClasses]);
      expect(facts(rebuilt)).toEqual(facts(real));

      // The trusted side's per-layer summary agrees with the rebuilt model.
      for (const layer of spec.layers) {
        const counterpart = rebuilt.getLayer(layer.name);
        expect(counterpart.getClassName()).toBe(layer.className);
        expect(counterpart.countParams()).toBe(layer.params);
        expect(counterpart.outputShape).toEqual([null, ...layer.outputShape]);
      }

      // And it runs.
      const prediction = tf.tidy(() => rebuilt.predict(tf.zeros([2, ...inputShape])) as tf.Tensor);
      expect(prediction.shape).toEqual([2, numClasses]);
      prediction.dispose();
    });
  }

  it('reports the output activation the trainer needs to choose its loss', async () => {
    expect((await compileOrThrow(sourceOf(PROGRAMS.seed!))).outputActivation).toBe('softmax');
    expect((await compileOrThrow(sourceOf(PROGRAMS.mobile!))).outputActivation).toBe('softmax');
    const logits = `function buildModel(tf, { inputShape, numClasses }) {
      return tf.sequential({ layers: [tf.layers.flatten({ inputShape }), tf.layers.dense({ units: numClasses })] });
    }`;
    expect((await compileOrThrow(logits)).outputActivation).toBe('linear');
  });

  it('serialises every activation and initializer name so that tfjs reads it back unchanged', async () => {
    const activations = ['elu', 'hardSigmoid', 'linear', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax', 'softplus', 'softsign', 'tanh', 'swish', 'mish', 'gelu'];
    const initializers = ['glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'leCunNormal', 'leCunUniform', 'zeros', 'ones', 'randomNormal', 'randomUniform', 'truncatedNormal', 'varianceScaling'];
    const program = `function buildModel(tf, { inputShape, numClasses }) {
      const model = tf.sequential();
      model.add(tf.layers.flatten({ inputShape }));
      const activations = ${JSON.stringify(activations)};
      const initializers = ${JSON.stringify(initializers)};
      activations.forEach((activation, i) => {
        const kernelInitializer = initializers[i % initializers.length];
        model.add(tf.layers.dense({ units: 4, activation, kernelInitializer, biasInitializer: tf.initializers.constant({ value: 0.5 }) }));
      });
      model.add(tf.layers.dense({ units: numClasses, kernelInitializer: tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'truncatedNormal' }) }));
      return model;
    }`;
    const spec = await compileOrThrow(program);
    const rebuilt = await rebuild(spec);
    const real = tf.sequential();
    real.add(tf.layers.flatten({ inputShape }));
    activations.forEach((activation, i) => {
      const kernelInitializer = initializers[i % initializers.length] as 'zeros';
      real.add(
        tf.layers.dense({
          units: 4,
          activation: activation as 'relu',
          kernelInitializer,
          biasInitializer: tf.initializers.constant({ value: 0.5 }),
        }),
      );
    });
    real.add(
      tf.layers.dense({
        units: numClasses,
        kernelInitializer: tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'truncatedNormal' }),
      }),
    );
    expect(facts(rebuilt)).toEqual(facts(real));
  });
});
