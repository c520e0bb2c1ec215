import type { JsonValue } from '../spec.js';

/** A tensor shape without the batch axis; every dimension is known. */
export type Shape = number[];

/** A serialised layer config (tfjs snake_case form). */
export type LayerConfig = { [key: string]: JsonValue };

/** What one tfjs layer class means to this search space. */
export interface LayerRule {
  /** tfjs class name, e.g. `Conv2D`. */
  className: string;
  /** Factory under `tf.layers`, e.g. `conv2d`. */
  factory: string;
  /** `one` input tensor, or `many` (merge layers), or `none` (InputLayer). */
  arity: 'none' | 'one' | 'many';
  /** Whether the layer counts towards depth in the width-to-depth descriptor. */
  countsAsDepth: boolean;
  /** Options accepted by the factory besides the common ones. */
  options: readonly string[];
  /**
   * Turns factory arguments (camelCase, as an LLM writes them) into the serialised snake_case
   * config that `LayersModel.toJSON()` would produce. Throws an error naming the bad option.
   */
  configure(args: Record<string, unknown>, name: string): LayerConfig;
  /** Output shape for the given input shapes; throws an error naming the mismatch. */
  outputShape(config: LayerConfig, inputs: Shape[]): Shape;
  /** Number of weights (trainable or not), as tfjs `countParams()`. */
  params(config: LayerConfig, inputs: Shape[]): number;
  /** FLOPs under the NAS-Bench-201 convention (MACs plus bias adds of conv and dense layers). */
  flops(config: LayerConfig, inputs: Shape[], output: Shape): number;
  /** Whether the layer has a width for the width-to-depth descriptor: its output channels (conv) or units (dense). */
  hasWidth: boolean;
}

export interface LayerCatalogue {
  /** Rules by tfjs class name. */
  rules: Record<string, LayerRule>;
  /** Options every factory accepts. */
  commonOptions: readonly string[];
  /** Serialised form of an initializer given by name (`heNormal`) and options. */
  initializer(id: string, args: Record<string, unknown>): LayerConfig;
  /** Serialised form of an L1L2 regulariser. */
  regularizer(l1: unknown, l2: unknown): LayerConfig;
}

/**
 * Builds the layer catalogue: argument normalisation, shape inference, parameter and FLOP counts
 * of every layer class this search space supports, mirroring tfjs-layers 4.22 semantics
 * (channels-last only).
 *
 * SELF-CONTAINED ON PURPOSE: the sandbox receives this function as source text
 * (`Function.prototype.toString`) and evaluates it inside its own V8 context, while the trusted
 * side calls it directly. So one implementation serves both, and no host object ever enters the
 * sandbox. The body must reference nothing outside itself (types are erased and may).
 */
export function createLayerCatalogue(): LayerCatalogue {
  const COMMON = ['name', 'trainable', 'inputShape', 'batchInputShape', 'batchSize', 'dtype'];
  const ACTIVATIONS: Record<string, string> = {
    elu: 'elu',
    hardSigmoid: 'hard_sigmoid',
    hard_sigmoid: 'hard_sigmoid',
    linear: 'linear',
    relu: 'relu',
    relu6: 'relu6',
    selu: 'selu',
    sigmoid: 'sigmoid',
    softmax: 'softmax',
    softplus: 'softplus',
    softsign: 'softsign',
    tanh: 'tanh',
    swish: 'swish',
    mish: 'mish',
    gelu: 'gelu',
  };

  function fail(message: string): never {
    throw new Error(message);
  }
  function describe(value: unknown): string {
    if (typeof value === 'string') return `'${value}'`;
    if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
    if (value === null || typeof value !== 'object') return String(value);
    return 'an object';
  }
  function own(args: Record<string, unknown>, key: string): unknown {
    return Object.prototype.hasOwnProperty.call(args, key) ? args[key] : undefined;
  }
  function positiveInt(value: unknown, what: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      fail(`${what} must be a positive integer, got ${describe(value)}`);
    }
    return value;
  }
  function pair(value: unknown, what: string): [number, number] {
    if (typeof value === 'number') return [positiveInt(value, what), value];
    if (Array.isArray(value) && value.length === 2) {
      return [positiveInt(value[0], what), positiveInt(value[1], what)];
    }
    return fail(`${what} must be a positive integer or a pair of them, got ${describe(value)}`);
  }
  function bool(value: unknown, fallback: boolean, what: string): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') fail(`${what} must be true or false, got ${describe(value)}`);
    return value;
  }
  function finite(value: unknown, fallback: number, what: string): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(`${what} must be a finite number, got ${describe(value)}`);
    }
    return value;
  }
  function padding(value: unknown, what: string): string {
    if (value === undefined) return 'valid';
    if (value !== 'valid' && value !== 'same') {
      fail(`${what} must be 'valid' or 'same', got ${describe(value)}`);
    }
    return value;
  }
  function dataFormat(value: unknown, what: string): string {
    if (value !== undefined && value !== 'channelsLast') {
      fail(`${what}: only 'channelsLast' (NHWC) is supported, got ${describe(value)}`);
    }
    return 'channels_last';
  }
  function activation(value: unknown, what: string): string {
    if (value === undefined || value === null) return 'linear';
    const name = typeof value === 'string' ? (own(ACTIVATIONS, value) as string | undefined) : undefined;
    if (name === undefined) {
      fail(
        `${what} must be one of ${Object.keys(ACTIVATIONS)
          .filter((key) => !key.includes('_'))
          .join(', ')}; got ${describe(value)}`,
      );
    }
    return name;
  }
  function seed(value: unknown, what: string): JsonValue {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      fail(`${what} must be an integer, got ${describe(value)}`);
    }
    return value;
  }

  const VARIANCE_PRESETS: Record<string, [number, string, string]> = {
    glorotNormal: [1, 'fan_avg', 'normal'],
    glorotUniform: [1, 'fan_avg', 'uniform'],
    heNormal: [2, 'fan_in', 'normal'],
    heUniform: [2, 'fan_in', 'uniform'],
    leCunNormal: [1, 'fan_in', 'normal'],
    leCunUniform: [1, 'fan_in', 'uniform'],
  };
  const INITIALIZER_IDS = [
    ...Object.keys(VARIANCE_PRESETS),
    'varianceScaling',
    'zeros',
    'ones',
    'constant',
    'randomNormal',
    'randomUniform',
    'truncatedNormal',
  ];

  function initializer(id: string, args: Record<string, unknown>): LayerConfig {
    const what = `tf.initializers.${id}`;
    const preset = own(VARIANCE_PRESETS, id) as [number, string, string] | undefined;
    if (preset) {
      return {
        class_name: 'VarianceScaling',
        config: {
          scale: preset[0],
          mode: preset[1],
          distribution: preset[2],
          seed: seed(own(args, 'seed'), `${what} seed`),
        },
      };
    }
    switch (id) {
      case 'varianceScaling': {
        const modes: Record<string, string> = { fanIn: 'fan_in', fanOut: 'fan_out', fanAvg: 'fan_avg' };
        const distributions: Record<string, string> = {
          normal: 'normal',
          uniform: 'uniform',
          truncatedNormal: 'truncated_normal',
        };
        const mode = own(modes, String(own(args, 'mode') ?? 'fanIn')) as string | undefined;
        const distribution = own(distributions, String(own(args, 'distribution') ?? 'normal')) as string | undefined;
        if (!mode) fail(`${what} mode must be fanIn, fanOut or fanAvg`);
        if (!distribution) fail(`${what} distribution must be normal, uniform or truncatedNormal`);
        const scale = finite(own(args, 'scale'), 1, `${what} scale`);
        if (scale <= 0) fail(`${what} scale must be positive, got ${scale}`);
        return {
          class_name: 'VarianceScaling',
          config: { scale, mode, distribution, seed: seed(own(args, 'seed'), `${what} seed`) },
        };
      }
      case 'zeros':
        return { class_name: 'Zeros', config: {} };
      case 'ones':
        return { class_name: 'Ones', config: {} };
      case 'constant': {
        const value = own(args, 'value');
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          fail(`${what} needs { value: <number> }, got ${describe(value)}`);
        }
        return { class_name: 'Constant', config: { value } };
      }
      case 'randomNormal':
      case 'truncatedNormal':
        return {
          class_name: id === 'randomNormal' ? 'RandomNormal' : 'TruncatedNormal',
          config: {
            mean: finite(own(args, 'mean'), 0, `${what} mean`),
            stddev: finite(own(args, 'stddev'), 0.05, `${what} stddev`),
            seed: seed(own(args, 'seed'), `${what} seed`),
          },
        };
      case 'randomUniform':
        return {
          class_name: 'RandomUniform',
          config: {
            minval: finite(own(args, 'minval'), -0.05, `${what} minval`),
            maxval: finite(own(args, 'maxval'), 0.05, `${what} maxval`),
            seed: seed(own(args, 'seed'), `${what} seed`),
          },
        };
      default:
        return fail(`initializer '${id}' is not supported; use one of ${INITIALIZER_IDS.join(', ')}`);
    }
  }

  /** Accepts an initializer name or an object made by `tf.initializers.*`. */
  function initializerOption(value: unknown, fallback: string, what: string): LayerConfig {
    if (value === undefined || value === null) return initializer(fallback, {});
    if (typeof value === 'string') {
      if (!INITIALIZER_IDS.includes(value)) {
        fail(`${what} '${value}' is not supported; use one of ${INITIALIZER_IDS.join(', ')}`);
      }
      return initializer(value, {});
    }
    const made = value as { class_name?: unknown; config?: unknown };
    const classes = ['VarianceScaling', 'Zeros', 'Ones', 'Constant', 'RandomNormal', 'RandomUniform', 'TruncatedNormal'];
    if (typeof made === 'object' && classes.includes(made.class_name as string) && made.config) {
      return { class_name: made.class_name as string, config: made.config as LayerConfig };
    }
    return fail(`${what} must be an initializer name or tf.initializers.*(...), got ${describe(value)}`);
  }

  function regularizer(l1: unknown, l2: unknown): LayerConfig {
    const a = finite(l1, 0, 'regularizer l1');
    const b = finite(l2, 0, 'regularizer l2');
    if (a < 0 || b < 0) fail('regularizer l1 and l2 must not be negative');
    return { class_name: 'L1L2', config: { l1: a, l2: b } };
  }
  function regularizerOption(value: unknown, what: string): JsonValue {
    if (value === undefined || value === null) return null;
    if (value === 'l1l2') return regularizer(0.01, 0.01);
    const made = value as { class_name?: unknown; config?: unknown };
    if (typeof made === 'object' && made.class_name === 'L1L2' && made.config) {
      return { class_name: 'L1L2', config: made.config as LayerConfig };
    }
    return fail(`${what} must be tf.regularizers.l1/l2/l1l2(...) or 'l1l2', got ${describe(value)}`);
  }
  function noConstraint(args: Record<string, unknown>, keys: string[], factory: string): void {
    for (const key of keys) {
      if (own(args, key) !== undefined && own(args, key) !== null) {
        fail(`tf.layers.${factory}: ${key} is not supported in this search space; remove it`);
      }
    }
  }

  function convOutputLength(length: number, kernel: number, pad: string, stride: number, dilation: number): number {
    const dilated = kernel + (kernel - 1) * (dilation - 1);
    const out = pad === 'same' ? length : length - dilated + 1;
    return Math.floor((out + stride - 1) / stride);
  }
  function num(config: LayerConfig, key: string): number {
    return config[key] as number;
  }
  function nums(config: LayerConfig, key: string): number[] {
    return config[key] as number[];
  }
  function product(shape: Shape): number {
    return shape.reduce((acc, dim) => acc * dim, 1);
  }
  function show(shape: Shape): string {
    return `[${shape.join(', ')}]`;
  }
  function single(inputs: Shape[], className: string): Shape {
    if (inputs.length !== 1) fail(`${className} takes exactly one input, got ${inputs.length}`);
    return inputs[0] as Shape;
  }
  function image(inputs: Shape[], className: string): Shape {
    const shape = single(inputs, className);
    if (shape.length !== 3) {
      fail(
        `${className} needs a 4D input [batch, height, width, channels], got [batch, ${shape.join(', ')}]` +
          (shape.length === 1 ? ' (did you flatten too early?)' : ''),
      );
    }
    return shape;
  }
  function spatial(
    className: string,
    shape: Shape,
    kernel: number[],
    strides: number[],
    pad: string,
    dilation: number[],
  ): [number, number] {
    const rows = convOutputLength(shape[0] as number, kernel[0] as number, pad, strides[0] as number, dilation[0] as number);
    const cols = convOutputLength(shape[1] as number, kernel[1] as number, pad, strides[1] as number, dilation[1] as number);
    if (rows < 1 || cols < 1) {
      fail(
        `${className} would output an empty ${rows}x${cols} map: input ${shape[0]}x${shape[1]}, ` +
          `window ${kernel.join('x')}, strides ${strides.join('x')}, padding '${pad}'. ` +
          `Use padding 'same' or a smaller window.`,
      );
    }
    return [rows, cols];
  }
  function checkDilation(dilation: number[], what: string): void {
    if (dilation.some((d) => d !== 1)) {
      fail(
        `${what}: dilationRate ${describe(dilation)} cannot be trained (tfjs 4.22 has no gradient for dilated ` +
          'convolutions); use dilationRate 1 and widen the receptive field with a larger kernel, strides or pooling',
      );
    }
  }
  function base(name: string, args: Record<string, unknown>): LayerConfig {
    return { name, trainable: bool(own(args, 'trainable'), true, 'trainable') };
  }

  const zero = (): number => 0;
  const identityShape = (className: string) => (_config: LayerConfig, inputs: Shape[]): Shape =>
    single(inputs, className).slice();

  function convCommon(args: Record<string, unknown>, what: string): LayerConfig {
    const strides = pair(own(args, 'strides') ?? 1, `${what} strides`);
    const dilation = pair(own(args, 'dilationRate') ?? 1, `${what} dilationRate`);
    checkDilation(dilation, what);
    return {
      kernel_size: pair(own(args, 'kernelSize'), `${what} kernelSize`),
      strides,
      padding: padding(own(args, 'padding'), `${what} padding`),
      data_format: dataFormat(own(args, 'dataFormat'), what),
      dilation_rate: dilation,
      activation: activation(own(args, 'activation'), `${what} activation`),
      use_bias: bool(own(args, 'useBias'), true, `${what} useBias`),
      bias_initializer: initializerOption(own(args, 'biasInitializer'), 'zeros', `${what} biasInitializer`),
      bias_regularizer: regularizerOption(own(args, 'biasRegularizer'), `${what} biasRegularizer`),
      activity_regularizer: null,
      bias_constraint: null,
    };
  }
  const CONV_OPTIONS = [
    'kernelSize',
    'strides',
    'padding',
    'dataFormat',
    'dilationRate',
    'activation',
    'useBias',
    'biasInitializer',
    'biasRegularizer',
    'biasConstraint',
    'activityRegularizer',
  ];
  function convSpatial(className: string, config: LayerConfig, shape: Shape): [number, number] {
    checkDilation(nums(config, 'dilation_rate'), className);
    return spatial(
      className,
      shape,
      nums(config, 'kernel_size'),
      nums(config, 'strides'),
      config.padding as string,
      nums(config, 'dilation_rate'),
    );
  }
  function biasAdds(config: LayerConfig, output: Shape): number {
    return config.use_bias ? product(output) : 0;
  }
  function poolingRule(className: string, factory: string): LayerRule {
    return {
      className,
      factory,
      arity: 'one',
      countsAsDepth: true,
      options: ['poolSize', 'strides', 'padding', 'dataFormat'],
      configure(args, name) {
        const what = `tf.layers.${factory}`;
        const poolSize = pair(own(args, 'poolSize') ?? 2, `${what} poolSize`);
        const strides = own(args, 'strides');
        return {
          pool_size: poolSize,
          padding: padding(own(args, 'padding'), `${what} padding`),
          strides: strides === undefined || strides === null ? poolSize.slice() : pair(strides, `${what} strides`),
          data_format: dataFormat(own(args, 'dataFormat'), what),
          ...base(name, args),
        };
      },
      outputShape(config, inputs) {
        const shape = image(inputs, className);
        const ones = [1, 1];
        const [rows, cols] = spatial(
          className,
          shape,
          nums(config, 'pool_size'),
          nums(config, 'strides'),
          config.padding as string,
          ones,
        );
        return [rows, cols, shape[2] as number];
      },
      params: zero,
      flops: zero,
      hasWidth: false,
    };
  }
  function globalPoolingRule(className: string, factory: string): LayerRule {
    return {
      className,
      factory,
      arity: 'one',
      countsAsDepth: true,
      options: ['dataFormat'],
      configure(args, name) {
        return { data_format: dataFormat(own(args, 'dataFormat'), `tf.layers.${factory}`), ...base(name, args) };
      },
      outputShape(_config, inputs) {
        return [image(inputs, className)[2] as number];
      },
      params: zero,
      flops: zero,
      hasWidth: false,
    };
  }
  function statelessRule(
    className: string,
    factory: string,
    options: string[],
    configure: (args: Record<string, unknown>, what: string) => LayerConfig,
    countsAsDepth = true,
  ): LayerRule {
    return {
      className,
      factory,
      arity: 'one',
      countsAsDepth,
      options,
      configure(args, name) {
        return { ...configure(args, `tf.layers.${factory}`), ...base(name, args) };
      },
      outputShape: identityShape(className),
      params: zero,
      flops: zero,
      hasWidth: false,
    };
  }
  /** A normalisation axis as given: an integer, or (LayerNormalization) a list of one. */
  function axisOption(value: unknown, allowList: boolean, what: string): JsonValue {
    if (value === undefined) return -1;
    const single = allowList && Array.isArray(value) && value.length === 1 ? value[0] : value;
    if (typeof single !== 'number' || !Number.isSafeInteger(single)) {
      fail(`${what} axis must be an integer${allowList ? ' or a list of one' : ''}, got ${describe(value)}`);
    }
    return value as JsonValue;
  }
  /** Normalisation over the channels only: axis -1, or the last axis counted with the batch axis. */
  function checkLastAxis(axis: JsonValue, shape: Shape, className: string): void {
    const value = Array.isArray(axis) ? axis[0] : axis;
    if (!(Array.isArray(axis) && axis.length !== 1) && (value === -1 || value === shape.length)) return;
    fail(`${className}: only the channels axis (-1, or ${shape.length} here) is supported, got ${describe(axis)}`);
  }

  const list: LayerRule[] = [
    {
      className: 'InputLayer',
      factory: 'inputLayer',
      arity: 'none',
      countsAsDepth: false,
      options: ['sparse'],
      configure(args, name) {
        const shape = own(args, 'inputShape');
        const batchShape = own(args, 'batchInputShape');
        let dims: unknown = shape;
        if (dims === undefined && Array.isArray(batchShape)) dims = batchShape.slice(1);
        if (!Array.isArray(dims) || dims.length === 0) {
          fail('an input needs a shape: tf.input({ shape: inputShape }) or tf.layers.inputLayer({ inputShape })');
        }
        const dtype = own(args, 'dtype');
        if (dtype !== undefined && dtype !== 'float32') fail(`inputs must be float32, got ${describe(dtype)}`);
        if (own(args, 'sparse')) fail('sparse inputs are not supported');
        return {
          batch_input_shape: [null, ...dims.map((dim: unknown) => positiveInt(dim, 'input shape dimension'))],
          dtype: 'float32',
          sparse: false,
          name,
        };
      },
      outputShape(config) {
        return (config.batch_input_shape as number[]).slice(1);
      },
      params: zero,
      flops: zero,
      hasWidth: false,
    },
    {
      className: 'Dense',
      factory: 'dense',
      arity: 'one',
      countsAsDepth: true,
      options: [
        'units',
        'inputDim',
        'activation',
        'useBias',
        'kernelInitializer',
        'biasInitializer',
        'kernelRegularizer',
        'biasRegularizer',
        'kernelConstraint',
        'biasConstraint',
        'activityRegularizer',
      ],
      configure(args, name) {
        const what = 'tf.layers.dense';
        noConstraint(args, ['kernelConstraint', 'biasConstraint', 'activityRegularizer'], 'dense');
        return {
          units: positiveInt(own(args, 'units'), `${what} units`),
          activation: activation(own(args, 'activation'), `${what} activation`),
          use_bias: bool(own(args, 'useBias'), true, `${what} useBias`),
          kernel_initializer: initializerOption(own(args, 'kernelInitializer'), 'glorotNormal', `${what} kernelInitializer`),
          bias_initializer: initializerOption(own(args, 'biasInitializer'), 'zeros', `${what} biasInitializer`),
          kernel_regularizer: regularizerOption(own(args, 'kernelRegularizer'), `${what} kernelRegularizer`),
          bias_regularizer: regularizerOption(own(args, 'biasRegularizer'), `${what} biasRegularizer`),
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
          ...base(name, args),
        };
      },
      outputShape(config, inputs) {
        const shape = single(inputs, 'Dense');
        return [...shape.slice(0, -1), num(config, 'units')];
      },
      params(config, inputs) {
        const fanIn = single(inputs, 'Dense').at(-1) as number;
        const units = num(config, 'units');
        return fanIn * units + (config.use_bias ? units : 0);
      },
      flops(config, inputs, output) {
        const fanIn = single(inputs, 'Dense').at(-1) as number;
        return product(output) * fanIn + biasAdds(config, output);
      },
      hasWidth: true,
    },
    {
      className: 'Conv2D',
      factory: 'conv2d',
      arity: 'one',
      countsAsDepth: true,
      options: ['filters', 'kernelInitializer', 'kernelRegularizer', 'kernelConstraint', ...CONV_OPTIONS],
      configure(args, name) {
        const what = 'tf.layers.conv2d';
        noConstraint(args, ['kernelConstraint', 'biasConstraint', 'activityRegularizer'], 'conv2d');
        return {
          filters: positiveInt(own(args, 'filters'), `${what} filters`),
          kernel_initializer: initializerOption(own(args, 'kernelInitializer'), 'glorotNormal', `${what} kernelInitializer`),
          kernel_regularizer: regularizerOption(own(args, 'kernelRegularizer'), `${what} kernelRegularizer`),
          kernel_constraint: null,
          ...convCommon(args, what),
          ...base(name, args),
        };
      },
      outputShape(config, inputs) {
        const shape = image(inputs, 'Conv2D');
        return [...convSpatial('Conv2D', config, shape), num(config, 'filters')];
      },
      params(config, inputs) {
        const [kh, kw] = nums(config, 'kernel_size') as [number, number];
        const filters = num(config, 'filters');
        return kh * kw * (image(inputs, 'Conv2D')[2] as number) * filters + (config.use_bias ? filters : 0);
      },
      flops(config, inputs, output) {
        const [kh, kw] = nums(config, 'kernel_size') as [number, number];
        return product(output) * kh * kw * (image(inputs, 'Conv2D')[2] as number) + biasAdds(config, output);
      },
      hasWidth: true,
    },
    {
      className: 'DepthwiseConv2D',
      factory: 'depthwiseConv2d',
      arity: 'one',
      countsAsDepth: true,
      options: ['depthMultiplier', 'depthwiseInitializer', 'depthwiseRegularizer', 'depthwiseConstraint', ...CONV_OPTIONS],
      configure(args, name) {
        const what = 'tf.layers.depthwiseConv2d';
        noConstraint(args, ['depthwiseConstraint', 'biasConstraint', 'activityRegularizer'], 'depthwiseConv2d');
        return {
          ...convCommon(args, what),
          ...base(name, args),
          depth_multiplier: positiveInt(own(args, 'depthMultiplier') ?? 1, `${what} depthMultiplier`),
          depthwise_initializer: initializerOption(
            own(args, 'depthwiseInitializer'),
            'glorotNormal',
            `${what} depthwiseInitializer`,
          ),
          depthwise_regularizer: regularizerOption(own(args, 'depthwiseRegularizer'), `${what} depthwiseRegularizer`),
          depthwise_constraint: null,
        };
      },
      outputShape(config, inputs) {
        const shape = image(inputs, 'DepthwiseConv2D');
        return [...convSpatial('DepthwiseConv2D', config, shape), (shape[2] as number) * num(config, 'depth_multiplier')];
      },
      params(config, inputs) {
        const [kh, kw] = nums(config, 'kernel_size') as [number, number];
        const out = (image(inputs, 'DepthwiseConv2D')[2] as number) * num(config, 'depth_multiplier');
        return kh * kw * out + (config.use_bias ? out : 0);
      },
      flops(config, _inputs, output) {
        const [kh, kw] = nums(config, 'kernel_size') as [number, number];
        return product(output) * kh * kw + biasAdds(config, output);
      },
      hasWidth: true,
    },
    {
      className: 'SeparableConv2D',
      factory: 'separableConv2d',
      arity: 'one',
      countsAsDepth: true,
      options: [
        'filters',
        'depthMultiplier',
        'depthwiseInitializer',
        'pointwiseInitializer',
        'depthwiseRegularizer',
        'pointwiseRegularizer',
        'depthwiseConstraint',
        'pointwiseConstraint',
        ...CONV_OPTIONS,
      ],
      configure(args, name) {
        const what = 'tf.layers.separableConv2d';
        noConstraint(
          args,
          ['depthwiseConstraint', 'pointwiseConstraint', 'biasConstraint', 'activityRegularizer'],
          'separableConv2d',
        );
        // tfjs 4.22 does not serialise depthMultiplier of SeparableConv2D, so a rebuilt model
        // would silently differ; refuse it instead.
        const multiplier = own(args, 'depthMultiplier');
        if (multiplier !== undefined && multiplier !== 1) {
          fail(`${what}: depthMultiplier other than 1 is not supported (tfjs does not save it); use depthwiseConv2d + conv2d`);
        }
        return {
          filters: positiveInt(own(args, 'filters'), `${what} filters`),
          ...convCommon(args, what),
          ...base(name, args),
          depthwise_initializer: initializerOption(
            own(args, 'depthwiseInitializer'),
            'glorotUniform',
            `${what} depthwiseInitializer`,
          ),
          pointwise_initializer: initializerOption(
            own(args, 'pointwiseInitializer'),
            'glorotUniform',
            `${what} pointwiseInitializer`,
          ),
          depthwise_regularizer: regularizerOption(own(args, 'depthwiseRegularizer'), `${what} depthwiseRegularizer`),
          pointwise_regularizer: regularizerOption(own(args, 'pointwiseRegularizer'), `${what} pointwiseRegularizer`),
          depthwise_constraint: null,
          pointwise_constraint: null,
        };
      },
      outputShape(config, inputs) {
        const shape = image(inputs, 'SeparableConv2D');
        return [...convSpatial('SeparableConv2D', config, shape), num(config, 'filters')];
      },
      params(config, inputs) {
        const [kh, kw] = nums(config, 'kernel_size') as [number, number];
        const channels = image(inputs, 'SeparableConv2D')[2] as number;
        const filters = num(config, 'filters');
        return kh * kw * channels + channels * filters + (config.use_bias ? filters : 0);
      },
      flops(config, inputs, output) {
        const [kh, kw] = nums(config, 'kernel_size') as [number, number];
        const channels = image(inputs, 'SeparableConv2D')[2] as number;
        const positions = (output[0] as number) * (output[1] as number);
        return positions * channels * kh * kw + product(output) * channels + biasAdds(config, output);
      },
      hasWidth: true,
    },
    poolingRule('MaxPooling2D', 'maxPooling2d'),
    poolingRule('AveragePooling2D', 'averagePooling2d'),
    globalPoolingRule('GlobalAveragePooling2D', 'globalAveragePooling2d'),
    globalPoolingRule('GlobalMaxPooling2D', 'globalMaxPooling2d'),
    {
      className: 'Flatten',
      factory: 'flatten',
      arity: 'one',
      countsAsDepth: false,
      options: [],
      configure: (args, name) => base(name, args),
      outputShape(_config, inputs) {
        const shape = single(inputs, 'Flatten');
        return shape.length === 1 ? shape.slice() : [product(shape)];
      },
      params: zero,
      flops: zero,
      hasWidth: false,
    },
    statelessRule('Dropout', 'dropout', ['rate', 'noiseShape', 'seed'], (args, what) => {
      const rate = own(args, 'rate');
      if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
        fail(`${what} rate must be a number in [0, 1), got ${describe(rate)}`);
      }
      if (own(args, 'noiseShape') != null) fail(`${what}: noiseShape is not supported; remove it`);
      return { rate, noise_shape: null, seed: seed(own(args, 'seed'), `${what} seed`) };
    }),
    {
      className: 'BatchNormalization',
      factory: 'batchNormalization',
      arity: 'one',
      countsAsDepth: true,
      options: [
        'axis',
        'momentum',
        'epsilon',
        'center',
        'scale',
        'betaInitializer',
        'gammaInitializer',
        'movingMeanInitializer',
        'movingVarianceInitializer',
        'betaRegularizer',
        'gammaRegularizer',
        'betaConstraint',
        'gammaConstraint',
      ],
      configure(args, name) {
        const what = 'tf.layers.batchNormalization';
        noConstraint(args, ['betaConstraint', 'gammaConstraint'], 'batchNormalization');
        return {
          axis: axisOption(own(args, 'axis'), false, what),
          momentum: finite(own(args, 'momentum'), 0.99, `${what} momentum`),
          epsilon: finite(own(args, 'epsilon'), 0.001, `${what} epsilon`),
          center: bool(own(args, 'center'), true, `${what} center`),
          scale: bool(own(args, 'scale'), true, `${what} scale`),
          beta_initializer: initializerOption(own(args, 'betaInitializer'), 'zeros', `${what} betaInitializer`),
          gamma_initializer: initializerOption(own(args, 'gammaInitializer'), 'ones', `${what} gammaInitializer`),
          moving_mean_initializer: initializerOption(
            own(args, 'movingMeanInitializer'),
            'zeros',
            `${what} movingMeanInitializer`,
          ),
          moving_variance_initializer: initializerOption(
            own(args, 'movingVarianceInitializer'),
            'ones',
            `${what} movingVarianceInitializer`,
          ),
          beta_regularizer: regularizerOption(own(args, 'betaRegularizer'), `${what} betaRegularizer`),
          gamma_regularizer: regularizerOption(own(args, 'gammaRegularizer'), `${what} gammaRegularizer`),
          beta_constraint: null,
          gamma_constraint: null,
          ...base(name, args),
        };
      },
      outputShape(config, inputs) {
        const shape = single(inputs, 'BatchNormalization');
        checkLastAxis(config.axis as JsonValue, shape, 'BatchNormalization');
        return shape.slice();
      },
      params(config, inputs) {
        const channels = single(inputs, 'BatchNormalization').at(-1) as number;
        return channels * (2 + (config.center ? 1 : 0) + (config.scale ? 1 : 0));
      },
      flops: zero,
      hasWidth: false,
    },
    {
      className: 'LayerNormalization',
      factory: 'layerNormalization',
      arity: 'one',
      countsAsDepth: true,
      options: ['axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'betaRegularizer', 'gammaRegularizer'],
      configure(args, name) {
        const what = 'tf.layers.layerNormalization';
        return {
          // tfjs resolves the axis when the layer is built; the shim rewrites it on apply.
          axis: axisOption(own(args, 'axis'), true, what),
          epsilon: finite(own(args, 'epsilon'), 0.001, `${what} epsilon`),
          center: bool(own(args, 'center'), true, `${what} center`),
          scale: bool(own(args, 'scale'), true, `${what} scale`),
          beta_initializer: initializerOption(own(args, 'betaInitializer'), 'zeros', `${what} betaInitializer`),
          gamma_initializer: initializerOption(own(args, 'gammaInitializer'), 'ones', `${what} gammaInitializer`),
          beta_regularizer: regularizerOption(own(args, 'betaRegularizer'), `${what} betaRegularizer`),
          gamma_regularizer: regularizerOption(own(args, 'gammaRegularizer'), `${what} gammaRegularizer`),
          ...base(name, args),
        };
      },
      outputShape(config, inputs) {
        const shape = single(inputs, 'LayerNormalization');
        checkLastAxis(config.axis as JsonValue, shape, 'LayerNormalization');
        return shape.slice();
      },
      params(config, inputs) {
        const channels = single(inputs, 'LayerNormalization').at(-1) as number;
        return channels * ((config.center ? 1 : 0) + (config.scale ? 1 : 0));
      },
      flops: zero,
      hasWidth: false,
    },
    statelessRule('Activation', 'activation', ['activation'], (args, what) => {
      if (own(args, 'activation') === undefined) fail(`${what} needs { activation: 'relu' } or another name`);
      return { activation: activation(own(args, 'activation'), `${what} activation`) };
    }),
    statelessRule('ReLU', 'reLU', ['maxValue'], (args, what) => {
      const max = own(args, 'maxValue');
      return { max_value: max === undefined || max === null ? null : finite(max, 0, `${what} maxValue`) };
    }),
    statelessRule('LeakyReLU', 'leakyReLU', ['alpha'], (args, what) => ({
      alpha: finite(own(args, 'alpha'), 0.3, `${what} alpha`),
    })),
    statelessRule('Softmax', 'softmax', ['axis'], (args, what) => {
      const axis = own(args, 'axis');
      // tfjs's default softmax axis is 1, not -1; keep what tfjs would do.
      if (axis === undefined) return { axis: 1 };
      if (typeof axis !== 'number' || !Number.isSafeInteger(axis)) fail(`${what} axis must be an integer`);
      return { axis };
    }),
    {
      className: 'Add',
      factory: 'add',
      arity: 'many',
      countsAsDepth: false,
      options: [],
      configure: (args, name) => base(name, args),
      outputShape(_config, inputs) {
        if (inputs.length < 2) fail(`Add needs at least 2 inputs, got ${inputs.length}`);
        const first = inputs[0] as Shape;
        for (const shape of inputs) {
          if (show(shape) !== show(first)) {
            fail(
              `Add needs inputs of the same shape, got ${inputs.map(show).join(' and ')}; ` +
                'project the shortcut (e.g. a 1x1 conv2d with the same filters and strides) first',
            );
          }
        }
        return first.slice();
      },
      params: zero,
      flops: zero,
      hasWidth: false,
    },
    {
      className: 'Concatenate',
      factory: 'concatenate',
      arity: 'many',
      countsAsDepth: false,
      options: ['axis'],
      configure(args, name) {
        const axis = own(args, 'axis') ?? -1;
        if (typeof axis !== 'number' || !Number.isSafeInteger(axis)) fail('tf.layers.concatenate axis must be an integer');
        return { axis, ...base(name, args) };
      },
      outputShape(config, inputs) {
        if (inputs.length < 2) fail(`Concatenate needs at least 2 inputs, got ${inputs.length}`);
        const rank = (inputs[0] as Shape).length;
        const raw = num(config, 'axis');
        // The axis counts the batch axis, as in tfjs.
        const axis = raw < 0 ? rank + 1 + raw : raw;
        if (axis < 1 || axis > rank) fail(`Concatenate axis ${raw} is out of range for rank ${rank + 1} inputs`);
        const out = (inputs[0] as Shape).slice();
        out[axis - 1] = 0;
        for (const shape of inputs) {
          const same = shape.length === rank && shape.every((dim, i) => i === axis - 1 || dim === out[i]);
          if (!same) {
            fail(`Concatenate needs inputs that match except on axis ${raw}, got ${inputs.map(show).join(' and ')}`);
          }
          out[axis - 1] = (out[axis - 1] as number) + (shape[axis - 1] as number);
        }
        return out;
      },
      params: zero,
      flops: zero,
      hasWidth: false,
    },
    {
      className: 'Reshape',
      factory: 'reshape',
      arity: 'one',
      countsAsDepth: false,
      options: ['targetShape'],
      configure(args, name) {
        const target = own(args, 'targetShape');
        if (!Array.isArray(target) || target.length === 0) {
          fail('tf.layers.reshape needs { targetShape: [...] }');
        }
        if (target.includes(-1)) {
          fail('tf.layers.reshape: -1 in targetShape is not supported (tfjs cannot infer it ahead of time); compute the dimension from the input shape');
        }
        return {
          target_shape: target.map((dim: unknown) => positiveInt(dim, 'tf.layers.reshape targetShape dimension')),
          ...base(name, args),
        };
      },
      outputShape(config, inputs) {
        const shape = single(inputs, 'Reshape');
        const target = nums(config, 'target_shape');
        if (product(target) !== product(shape)) {
          fail(`Reshape cannot turn ${show(shape)} (${product(shape)} values) into ${show(target)} (${product(target)} values)`);
        }
        return target.slice();
      },
      params: zero,
      flops: zero,
      hasWidth: false,
    },
    {
      className: 'ZeroPadding2D',
      factory: 'zeroPadding2d',
      arity: 'one',
      countsAsDepth: false,
      options: ['padding', 'dataFormat'],
      configure(args, name) {
        const what = 'tf.layers.zeroPadding2d';
        const value = own(args, 'padding') ?? 1;
        const amount = (v: unknown): number => {
          if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
            fail(`${what} padding must hold non-negative integers, got ${describe(value)}`);
          }
          return v;
        };
        let rows: [number, number];
        let cols: [number, number];
        if (typeof value === 'number') {
          rows = [amount(value), amount(value)];
          cols = [amount(value), amount(value)];
        } else if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
          rows = [amount(value[0]), amount(value[0])];
          cols = [amount(value[1]), amount(value[1])];
        } else if (Array.isArray(value) && value.length === 2 && value.every((v) => Array.isArray(v) && v.length === 2)) {
          rows = [amount(value[0][0]), amount(value[0][1])];
          cols = [amount(value[1][0]), amount(value[1][1])];
        } else {
          return fail(`${what} padding must be n, [rows, cols] or [[top, bottom], [left, right]], got ${describe(value)}`);
        }
        return { padding: [rows, cols], data_format: dataFormat(own(args, 'dataFormat'), what), ...base(name, args) };
      },
      outputShape(config, inputs) {
        const shape = image(inputs, 'ZeroPadding2D');
        const [[top, bottom], [left, right]] = config.padding as [[number, number], [number, number]];
        return [(shape[0] as number) + top + bottom, (shape[1] as number) + left + right, shape[2] as number];
      },
      params: zero,
      flops: zero,
      hasWidth: false,
    },
  ];

  // No prototype: class names come from untrusted JSON, and `rules.constructor` must be undefined.
  const rules: Record<string, LayerRule> = Object.create(null) as Record<string, LayerRule>;
  for (const rule of list) rules[rule.className] = rule;
  return { rules, commonOptions: COMMON, initializer, regularizer };
}
