import * as tf from '@tensorflow/tfjs';
import { fail, type EvaluateContext, type Evaluation, type Evaluator, type Result } from '@llmatic/core';
import { z } from 'zod';
import { naswotKernel, reluLayers } from './activation-codes.js';
import { signedLogDeterminant } from './log-determinant.js';
import type { Minibatch } from './minibatch.js';
import { naswotOptionsSchema, type NaswotOptions } from './options.js';
import { seedInitializers } from './seed-initializers.js';

/** What this evaluator reads from a compiled network: `@llmatic/tfjs` models have this shape. */
const modelSchema = z.object({
  topology: z.record(z.string(), z.unknown()),
  inputShape: z.array(z.number().int().positive()).min(1),
  numClasses: z.number().int().min(2),
});

/** A Layers-API network as `@llmatic/tfjs` compiles it. */
export type LayersModelSpec = z.infer<typeof modelSchema>;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The minibatch, loaded and checked once. */
async function loadImages(batch: Minibatch): Promise<{ pixels: Float32Array; size: number }> {
  const perImage = batch.inputShape.reduce((a, b) => a * b, 1);
  const pixels = await batch.load();
  const size = pixels.length / perImage;
  if (!Number.isInteger(size) || size < 2) {
    throw new Error(
      `The minibatch "${batch.name}" holds ${pixels.length} values, not a whole number (>= 2) of images of shape [${batch.inputShape.join(', ')}]. ` +
        'NASWOT compares pairs of images: pass a batch of at least 2 images (32-128 is typical), e.g. mnistMinibatch({ size: 64 }).',
    );
  }
  if (!pixels.every(Number.isFinite)) throw new Error(`The minibatch "${batch.name}" has non-finite pixels; check its load() function.`);
  return { pixels, size };
}

/**
 * A zero-cost proxy: scores an untrained network by NASWOT (Mellor et al., "Neural Architecture
 * Search without Training", ICML 2021), `log |K_H|` of the kernel of binary ReLU activation codes
 * of a minibatch. Networks that separate the images of a minibatch well at initialisation tend
 * to train well; scoring is one forward pass (no training), so it pre-screens candidates cheaply.
 *
 * Fitness is the score (higher is better). Metrics: `naswot`, `reluUnits`, `params`, `scoreMs`.
 * A network without ReLU units, or whose kernel is singular (two images share one activation
 * pattern: NASWOT's -Infinity), is a typed `evaluation` failure. Initialisers are seeded
 * (`seed`), so a network's score is reproducible.
 *
 * @example
 * ```ts
 * evaluator: naswot({ batch: mnistMinibatch({ size: 64 }) })
 * ```
 */
export function naswot(options: NaswotOptions): Evaluator<LayersModelSpec> {
  const parsed = naswotOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new TypeError(`naswot(): invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`);
  }
  const { batch, seed } = parsed.data;
  let images: Promise<{ pixels: Float32Array; size: number }> | undefined;
  const loaded = () => {
    images ??= loadImages(batch);
    images.catch(() => (images = undefined));
    return images;
  };

  return {
    name: 'naswot',
    async check() {
      await tf.ready();
      await loaded();
    },
    async evaluate(model: LayersModelSpec, context: EvaluateContext): Promise<Result<Evaluation>> {
      context.signal?.throwIfAborted();
      const spec = modelSchema.safeParse(model);
      if (!spec.success) return fail('evaluation', `naswot: the model is not a Layers topology with inputShape and numClasses (${spec.error.issues[0]?.message ?? ''})`);
      if (spec.data.inputShape.join('x') !== batch.inputShape.join('x')) {
        return fail('evaluation', `naswot: the network takes [${spec.data.inputShape.join(', ')}] but the minibatch "${batch.name}" holds [${batch.inputShape.join(', ')}] images`);
      }
      let data: { pixels: Float32Array; size: number };
      try {
        data = await loaded();
      } catch (error) {
        return fail('evaluation', message(error));
      }
      context.signal?.throwIfAborted();
      return score(spec.data, data, seed);
    },
  };
}

/** Builds the network with seeded initialisers and scores it. */
async function score(spec: LayersModelSpec, data: { pixels: Float32Array; size: number }, seed: number): Promise<Result<Evaluation>> {
  const started = performance.now();
  let network: tf.LayersModel;
  try {
    network = await tf.models.modelFromJSON({ modelTopology: seedInitializers(spec.topology, seed) as tf.io.ModelJSON['modelTopology'] });
  } catch (error) {
    return fail('compile', `naswot: the topology does not rebuild with tf.models.modelFromJSON: ${message(error)}`);
  }
  try {
    const layers = reluLayers(network);
    if (layers.length === 0) return fail('evaluation', 'naswot: the network has no ReLU activations; NASWOT scores ReLU networks');
    const images = tf.tensor(data.pixels, [data.size, ...spec.inputShape]);
    let computed: { kernel: Float32Array; units: number };
    try {
      computed = naswotKernel(network, layers, images);
    } finally {
      images.dispose();
    }
    const { kernel, units } = computed;
    const { sign, logAbsDet } = signedLogDeterminant(kernel, data.size);
    if (sign === 0) {
      return fail('evaluation', 'naswot: the kernel is singular: two images of the minibatch share one ReLU activation pattern, so the network cannot tell them apart at initialisation (score -Infinity)');
    }
    return {
      ok: true,
      fitness: logAbsDet,
      metrics: { naswot: logAbsDet, reluUnits: units, params: network.countParams(), scoreMs: performance.now() - started },
      info: { proxy: 'naswot', backend: tf.getBackend() },
    };
  } catch (error) {
    return fail('evaluation', `naswot: scoring failed: ${message(error)}`);
  } finally {
    network.dispose();
  }
}
