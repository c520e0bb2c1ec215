import { z } from 'zod';

/**
 * The exact topology format this space accepts from the sandbox. Every config key a tfjs class
 * reads on deserialisation is listed and typed, and no other key is allowed, so the model the
 * trainer rebuilds is the one the validator measured.
 */

const positiveInt = z.number().int().positive().max(2 ** 31 - 1);
const pair = z.tuple([positiveInt, positiveInt]);
const finite = z.number().finite();
const seed = z.number().int().nullable();
/**
 * Layer names tfjs can rebuild: a letter or digit first (tfjs refuses weight names like `_x/kernel`),
 * then words of letters, digits and `_` joined by single `.`, `-` or `/` (no `..`, `//` or
 * trailing separator, so no path-like names such as `a/../../x`), at most 100 characters.
 */
export const LAYER_NAME = /^(?=.{1,100}$)[A-Za-z0-9][A-Za-z0-9_]*(?:[.\-/][A-Za-z0-9_]+)*$/;
/**
 * Names tfjs's deserialiser cannot use: it keeps layers in plain objects keyed by name, so a
 * name of an `Object.prototype` member (`constructor`, `toString`, ...) breaks the rebuild.
 */
export const RESERVED_LAYER_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
const layerName = z
  .string()
  .regex(LAYER_NAME, 'layer names are letters, digits and _ in words joined by single . - or /, at most 100 characters')
  .refine((name) => !RESERVED_LAYER_NAMES.has(name), {
    message: 'this layer name is reserved (tfjs cannot rebuild a layer named like an Object.prototype member); rename it',
  });

const initializer = z.discriminatedUnion('class_name', [
  z.strictObject({
    class_name: z.literal('VarianceScaling'),
    config: z.strictObject({
      scale: finite.positive(),
      mode: z.enum(['fan_in', 'fan_out', 'fan_avg']),
      distribution: z.enum(['normal', 'uniform', 'truncated_normal']),
      seed,
    }),
  }),
  z.strictObject({ class_name: z.literal('Zeros'), config: z.strictObject({}) }),
  z.strictObject({ class_name: z.literal('Ones'), config: z.strictObject({}) }),
  z.strictObject({ class_name: z.literal('Constant'), config: z.strictObject({ value: finite }) }),
  z.strictObject({
    class_name: z.literal('RandomNormal'),
    config: z.strictObject({ mean: finite, stddev: finite.nonnegative(), seed }),
  }),
  z.strictObject({
    class_name: z.literal('TruncatedNormal'),
    config: z.strictObject({ mean: finite, stddev: finite.nonnegative(), seed }),
  }),
  z.strictObject({
    class_name: z.literal('RandomUniform'),
    config: z.strictObject({ minval: finite, maxval: finite, seed }),
  }),
]);
const regularizer = z
  .strictObject({
    class_name: z.literal('L1L2'),
    config: z.strictObject({ l1: finite.nonnegative(), l2: finite.nonnegative() }),
  })
  .nullable();

export const ACTIVATION_NAMES = [
  'elu',
  'hard_sigmoid',
  'linear',
  'relu',
  'relu6',
  'selu',
  'sigmoid',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
  'swish',
  'mish',
  'gelu',
] as const;

/** The type of every config key, by key name (the same key means the same thing everywhere). */
const KEY_TYPES = new Map<string, z.ZodType>(Object.entries({
  name: layerName,
  trainable: z.boolean(),
  units: positiveInt,
  filters: positiveInt,
  depth_multiplier: positiveInt,
  kernel_size: pair,
  strides: pair,
  pool_size: pair,
  dilation_rate: pair,
  padding: z.enum(['valid', 'same']),
  data_format: z.literal('channels_last'),
  activation: z.enum(ACTIVATION_NAMES),
  use_bias: z.boolean(),
  kernel_initializer: initializer,
  bias_initializer: initializer,
  depthwise_initializer: initializer,
  pointwise_initializer: initializer,
  beta_initializer: initializer,
  gamma_initializer: initializer,
  moving_mean_initializer: initializer,
  moving_variance_initializer: initializer,
  kernel_regularizer: regularizer,
  bias_regularizer: regularizer,
  depthwise_regularizer: regularizer,
  pointwise_regularizer: regularizer,
  beta_regularizer: regularizer,
  gamma_regularizer: regularizer,
  activity_regularizer: z.null(),
  kernel_constraint: z.null(),
  bias_constraint: z.null(),
  depthwise_constraint: z.null(),
  pointwise_constraint: z.null(),
  beta_constraint: z.null(),
  gamma_constraint: z.null(),
  rate: finite.min(0).lt(1),
  noise_shape: z.null(),
  seed,
  momentum: finite,
  epsilon: finite.positive(),
  center: z.boolean(),
  scale: z.boolean(),
  max_value: finite.nullable(),
  alpha: finite,
  target_shape: z.array(positiveInt).min(1).max(8),
  batch_input_shape: z.tuple([z.null()], positiveInt).refine((shape) => shape.length >= 2 && shape.length <= 5, {
    message: 'the input must have 1 to 4 dimensions besides the batch',
  }),
  dtype: z.literal('float32'),
  sparse: z.literal(false),
} satisfies Record<string, z.ZodType>));

const CONV = [
  'kernel_size',
  'strides',
  'padding',
  'data_format',
  'dilation_rate',
  'activation',
  'use_bias',
  'bias_initializer',
  'bias_regularizer',
  'activity_regularizer',
  'bias_constraint',
  'name',
  'trainable',
];
const BASE = ['name', 'trainable'];

/**
 * The config keys of each supported class: exactly those `LayersModel.toJSON()` writes. A Map,
 * because class names come from untrusted JSON: a plain object would answer `constructor`.
 */
const CLASS_KEYS = new Map<string, string[]>(Object.entries({
  InputLayer: ['batch_input_shape', 'dtype', 'sparse', 'name'],
  Dense: [
    'units',
    'activation',
    'use_bias',
    'kernel_initializer',
    'bias_initializer',
    'kernel_regularizer',
    'bias_regularizer',
    'activity_regularizer',
    'kernel_constraint',
    'bias_constraint',
    ...BASE,
  ],
  Conv2D: ['filters', 'kernel_initializer', 'kernel_regularizer', 'kernel_constraint', ...CONV],
  DepthwiseConv2D: ['depth_multiplier', 'depthwise_initializer', 'depthwise_regularizer', 'depthwise_constraint', ...CONV],
  SeparableConv2D: [
    'filters',
    'depthwise_initializer',
    'pointwise_initializer',
    'depthwise_regularizer',
    'pointwise_regularizer',
    'depthwise_constraint',
    'pointwise_constraint',
    ...CONV,
  ],
  MaxPooling2D: ['pool_size', 'padding', 'strides', 'data_format', ...BASE],
  AveragePooling2D: ['pool_size', 'padding', 'strides', 'data_format', ...BASE],
  GlobalAveragePooling2D: ['data_format', ...BASE],
  GlobalMaxPooling2D: ['data_format', ...BASE],
  Flatten: [...BASE],
  Dropout: ['rate', 'noise_shape', 'seed', ...BASE],
  BatchNormalization: [
    'axis',
    'momentum',
    'epsilon',
    'center',
    'scale',
    'beta_initializer',
    'gamma_initializer',
    'moving_mean_initializer',
    'moving_variance_initializer',
    'beta_regularizer',
    'gamma_regularizer',
    'beta_constraint',
    'gamma_constraint',
    ...BASE,
  ],
  LayerNormalization: [
    'axis',
    'epsilon',
    'center',
    'scale',
    'beta_initializer',
    'gamma_initializer',
    'beta_regularizer',
    'gamma_regularizer',
    ...BASE,
  ],
  Activation: ['activation', ...BASE],
  ReLU: ['max_value', ...BASE],
  LeakyReLU: ['alpha', ...BASE],
  Softmax: ['axis', ...BASE],
  Add: [...BASE],
  Concatenate: ['axis', ...BASE],
  Reshape: ['target_shape', ...BASE],
  ZeroPadding2D: ['padding', 'data_format', ...BASE],
} satisfies Record<string, string[]>));

/** Keys whose type depends on the class. */
const padAmount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const CLASS_KEY_TYPES = new Map<string, Map<string, z.ZodType>>(
  Object.entries({
  BatchNormalization: { axis: z.number().int() },
  LayerNormalization: { axis: z.union([z.number().int(), z.tuple([z.number().int()])]) },
  Softmax: { axis: z.number().int() },
  Concatenate: { axis: z.number().int() },
  ZeroPadding2D: {
    padding: z.tuple([z.tuple([padAmount, padAmount]), z.tuple([padAmount, padAmount])]),
  },
  } satisfies Record<string, Record<string, z.ZodType>>).map(([name, types]) => [name, new Map(Object.entries(types))]),
);

/** Supported tfjs class names. */
export const SUPPORTED_CLASSES = [...CLASS_KEYS.keys()];

const schemas = new Map<string, z.ZodType>();

/** Strict schema of the config of `className`, or undefined for an unsupported class. */
export function configSchema(className: string): z.ZodType | undefined {
  const cached = schemas.get(className);
  if (cached) return cached;
  const keys = CLASS_KEYS.get(className);
  if (!keys) return undefined;
  const shape: Record<string, z.ZodType> = {};
  for (const key of keys) {
    const type = CLASS_KEY_TYPES.get(className)?.get(key) ?? KEY_TYPES.get(key);
    if (!type) throw new Error(`internal: no type for config key '${key}' of ${className}`);
    shape[key] = type;
  }
  const schema = z.strictObject(shape);
  schemas.set(className, schema);
  return schema;
}

const tensorRef = z.tuple([layerName, z.literal(0), z.literal(0), z.strictObject({})]);
const layerRef = z.tuple([layerName, z.literal(0), z.literal(0)]);

/** The topology's outer structure; layer configs are checked per class afterwards. */
export const topologySchema = z.strictObject({
  class_name: z.literal('Model'),
  config: z.strictObject({
    name: z.string().max(200),
    layers: z
      .array(
        z.strictObject({
          name: layerName,
          class_name: z.string(),
          config: z.record(z.string(), z.unknown()),
          inbound_nodes: z.array(z.array(tensorRef).min(1).max(64)).max(1),
        }),
      )
      .min(2),
    input_layers: z.array(layerRef).length(1, 'the model must have exactly one input'),
    output_layers: z.array(layerRef).length(1, 'the model must have exactly one output'),
  }),
  keras_version: z.string().max(100),
  backend: z.string().max(100),
});
