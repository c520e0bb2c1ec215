import type { LayerCatalogue, LayerConfig, LayerRule, Shape } from '../layers/catalogue.js';
import type { TfjsModelTopology, TopologyLayer } from '../spec.js';

/** Limits the shim enforces while the program builds its model (the trusted side re-checks). */
export interface ShimLimits {
  maxParams: number;
  maxFlops: number;
  maxLayers: number;
}

/** Failure categories the shim can report; they map onto the kernel's `FailureReason`. */
export type ShimFailureReason = 'compile' | 'resource-cap' | 'output-shape';

/** What the sandbox driver gets from the shim. */
export interface TfShim {
  /** The describe-only `tf` namespace handed to `buildModel`. */
  tf: Record<string, unknown>;
  /** Serialises a model built with the shim, or throws a `ShimError`. */
  describe(value: unknown): TfjsModelTopology;
  /** Reason of an error thrown by the shim, or null for any other value. */
  reasonOf(error: unknown): ShimFailureReason | null;
}

/**
 * A describe-only imitation of the TensorFlow.js Layers API: `tf.sequential`, `tf.model`,
 * `tf.input`, `tf.layers.*`, `layer.apply`, `model.add`, `tf.initializers.*`,
 * `tf.regularizers.*`. Layers compute shapes, parameters and FLOPs (through the catalogue) but
 * allocate no weights, so a program asking for billions of parameters is refused at once.
 *
 * SELF-CONTAINED ON PURPOSE: this function is shipped into the sandbox as source text and
 * evaluated inside the candidate's own V8 context, so it must reference nothing outside its
 * body. Objects it creates belong to that context; no host object is reachable from them.
 */
export function createTfShim(catalogue: LayerCatalogue, limits: ShimLimits): TfShim {
  const errors = new WeakMap<object, ShimFailureReason>();
  function shimError(reason: ShimFailureReason, message: string): Error {
    const error = new Error(message);
    errors.set(error, reason);
    return error;
  }
  function fail(message: string): never {
    throw shimError('compile', message);
  }

  const factories: Record<string, LayerRule> = {};
  for (const rule of Object.values(catalogue.rules)) factories[rule.factory] = rule;
  const usedNames = new Set<string>();
  const counters: Record<string, number> = {};
  let appliedLayers = 0;

  function uniqueName(prefix: string): string {
    let name: string;
    do {
      counters[prefix] = (counters[prefix] ?? 0) + 1;
      name = `${prefix}_${counters[prefix]}`;
    } while (usedNames.has(name));
    usedNames.add(name);
    return name;
  }
  function claimName(requested: unknown, prefix: string): string {
    if (requested === undefined || requested === null) return uniqueName(prefix);
    // The same rule as the trusted side's LAYER_NAME and RESERVED_LAYER_NAMES (schema.ts).
    if (typeof requested !== 'string' || !/^(?=.{1,100}$)[A-Za-z0-9][A-Za-z0-9_]*(?:[.\-/][A-Za-z0-9_]+)*$/.test(requested)) {
      fail(
        `layer name ${JSON.stringify(requested)} is invalid: use letters, digits and '_' in words joined by single ` +
          `'.', '-' or '/' (e.g. 'block1_conv'), at most 100 characters`,
      );
    }
    if (requested in Object.prototype) {
      fail(`layer name '${requested}' is reserved (tfjs cannot rebuild a layer named like an Object.prototype member); rename it`);
    }
    if (usedNames.has(requested)) fail(`the layer name '${requested}' is used twice; layer names must be unique`);
    usedNames.add(requested);
    return requested;
  }
  function shapeText(shape: Shape): string {
    return `[batch, ${shape.join(', ')}]`;
  }

  class SymbolicTensor {
    readonly shape: (number | null)[];
    readonly rank: number;
    readonly dtype = 'float32';
    readonly name: string;
    readonly sourceLayer: ShimLayer;
    readonly dims: Shape;
    constructor(sourceLayer: ShimLayer, dims: Shape) {
      this.sourceLayer = sourceLayer;
      this.dims = dims;
      this.shape = Object.freeze([null, ...dims]) as (number | null)[];
      this.rank = this.shape.length;
      this.name = `${sourceLayer.name}/output`;
    }
  }

  class ShimLayer {
    readonly name: string;
    readonly config: LayerConfig;
    /** `inputShape` / `batchInputShape` given to the factory (used by Sequential). */
    readonly declaredInput: unknown[] | null;
    inbound: SymbolicTensor[] | null = null;
    output: SymbolicTensor | null = null;
    params = 0;
    flops = 0;
    readonly rule: LayerRule;
    constructor(rule: LayerRule, args: Record<string, unknown>, prefix: string = rule.factory) {
      this.rule = rule;
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        fail(`tf.layers.${rule.factory} expects an options object, got ${String(args)}`);
      }
      const allowed = [...catalogue.commonOptions, ...rule.options];
      for (const key of Object.keys(args)) {
        if (!allowed.includes(key)) {
          fail(
            `tf.layers.${rule.factory}: unknown or unsupported option '${key}'. ` +
              `Supported: ${allowed.filter((option) => option !== 'batchSize').join(', ')}`,
          );
        }
      }
      if (args.dtype !== undefined && args.dtype !== 'float32') {
        fail(`tf.layers.${rule.factory}: only dtype 'float32' is supported`);
      }
      this.name = claimName(args.name, prefix);
      try {
        this.config = rule.configure(args, this.name);
      } catch (error) {
        throw errors.has(error as object) ? error : shimError('compile', (error as Error).message);
      }
      const shape =
        args.inputShape ??
        (Array.isArray(args.batchInputShape) ? args.batchInputShape.slice(1) : undefined) ??
        (args.inputDim !== undefined ? [args.inputDim] : undefined);
      this.declaredInput = Array.isArray(shape) ? shape : null;
    }
    getClassName(): string {
      return this.rule.className;
    }
    get outputShape(): (number | null)[] {
      if (!this.output) fail(`layer '${this.name}' has no output shape yet: apply it to a tensor first`);
      return this.output.shape.slice();
    }
    countParams(): number {
      if (!this.output) fail(`layer '${this.name}' is not built yet: apply it to a tensor first`);
      return this.params;
    }
    getConfig(): LayerConfig {
      return JSON.parse(JSON.stringify(this.config)) as LayerConfig;
    }
    apply(inputs: unknown): SymbolicTensor {
      const what = `layer '${this.name}' (${this.rule.className})`;
      if (this.rule.arity === 'none') fail(`${what} cannot be applied; use its output or tf.input()`);
      if (this.output) {
        fail(`${what} is applied twice; shared layers are not supported, create a new layer for each call`);
      }
      const list = Array.isArray(inputs) ? inputs.slice() : [inputs];
      for (const input of list) {
        if (!(input instanceof SymbolicTensor)) {
          fail(`${what}.apply() expects tensors from tf.input() or another layer's apply(), got ${typeof input}`);
        }
      }
      const tensors = list as SymbolicTensor[];
      if (this.rule.arity === 'one' && tensors.length !== 1) {
        fail(`${what} takes one input tensor, got ${tensors.length}`);
      }
      if (this.rule.arity === 'many' && tensors.length < 2) {
        fail(`${what} takes an array of at least 2 tensors, got ${tensors.length}`);
      }
      appliedLayers += 1;
      if (appliedLayers > limits.maxLayers) {
        throw shimError('resource-cap', `the model has more than ${limits.maxLayers} layers (cap maxLayers)`);
      }
      const shapes = tensors.map((tensor) => tensor.dims);
      let out: Shape;
      try {
        out = this.rule.outputShape(this.config, shapes);
        if (this.rule.className === 'LayerNormalization') {
          // tfjs stores the resolved (positive) axis once the layer is built.
          this.config.axis = [(shapes[0] as Shape).length];
        }
        this.params = this.rule.params(this.config, shapes);
        this.flops = this.rule.flops(this.config, shapes, out);
      } catch (error) {
        const inputText = shapes.map(shapeText).join(' and ');
        throw shimError('compile', `${what} applied to ${inputText}: ${(error as Error).message}`);
      }
      if (this.params > limits.maxParams) {
        throw shimError(
          'resource-cap',
          `${what} alone has ${this.params} parameters, over the cap of ${limits.maxParams} (maxParams)`,
        );
      }
      if (this.flops > limits.maxFlops) {
        throw shimError('resource-cap', `${what} alone needs ${this.flops} FLOPs, over the cap of ${limits.maxFlops} (maxFlops)`);
      }
      this.inbound = tensors;
      this.output = new SymbolicTensor(this, out);
      return this.output;
    }
  }

  /** An InputLayer; `tf.input()` names its shape `shape` / `batchShape`, the layer factory does not. */
  function makeInput(args: Record<string, unknown>, fromTfInput: boolean): ShimLayer {
    const rule = catalogue.rules.InputLayer as LayerRule;
    const layerArgs: Record<string, unknown> = { ...args };
    if (fromTfInput) {
      layerArgs.inputShape = layerArgs.shape;
      layerArgs.batchInputShape = layerArgs.batchShape;
      delete layerArgs.shape;
      delete layerArgs.batchShape;
      if (layerArgs.inputShape === undefined) delete layerArgs.inputShape;
      if (layerArgs.batchInputShape === undefined) delete layerArgs.batchInputShape;
    }
    const layer = new ShimLayer(rule, layerArgs, 'input');
    layer.output = new SymbolicTensor(layer, rule.outputShape(layer.config, []));
    layer.inbound = [];
    return layer;
  }

  const NOT_HERE = ['predict', 'fit', 'fitDataset', 'evaluate', 'evaluateDataset', 'save', 'execute', 'trainOnBatch'];

  /** A model under construction; `tf.model()` and `tf.sequential()` both make one. */
  class ShimModel {
    readonly name: string;
    protected inputTensor: SymbolicTensor | null = null;
    protected outputTensors: SymbolicTensor[] = [];
    constructor(name: unknown, fallback: string) {
      this.name = typeof name === 'string' && name.length > 0 ? name : fallback;
      for (const method of NOT_HERE) {
        Object.defineProperty(this, method, {
          value: () =>
            fail(`model.${method}() is not available: buildModel must only build and return the model; training is done for you`),
        });
      }
    }
    get inputs(): SymbolicTensor[] {
      return this.inputTensor ? [this.inputTensor] : [];
    }
    get outputs(): SymbolicTensor[] {
      return this.outputTensors.slice();
    }
    get inputShape(): (number | null)[] {
      if (!this.inputTensor) fail(`model '${this.name}' has no input yet`);
      return this.inputTensor.shape.slice();
    }
    get outputShape(): (number | null)[] {
      const output = this.outputTensors[0];
      if (!output) fail(`model '${this.name}' has no output yet`);
      return output.shape.slice();
    }
    get layers(): ShimLayer[] {
      return graphOf(this).layers.filter((layer) => layer.rule.arity !== 'none');
    }
    getLayer(name: unknown): ShimLayer {
      const found = graphOf(this).layers.find((layer) => layer.name === name);
      if (!found) fail(`model '${this.name}' has no layer named ${JSON.stringify(name)}`);
      return found;
    }
    countParams(): number {
      return graphOf(this).layers.reduce((sum, layer) => sum + layer.params, 0);
    }
    /** Compiling is the trainer's job; accepted and ignored so LLM-written code still runs. */
    compile(): void {}
    summary(): void {}
    apply(): never {
      return fail('using a model as a layer (nested models) is not supported; build one flat model');
    }
  }

  class ShimSequential extends ShimModel {
    private readonly added: ShimLayer[] = [];
    constructor(args: { layers?: unknown; name?: unknown } = {}) {
      super(args?.name, uniqueName('sequential'));
      if (args?.layers !== undefined) {
        if (!Array.isArray(args.layers)) fail('tf.sequential({ layers }) expects an array of layers');
        for (const layer of args.layers) this.add(layer);
      }
    }
    add(layer: unknown): void {
      if (layer instanceof ShimModel) fail('adding a model to a sequential model is not supported; add its layers');
      if (!(layer instanceof ShimLayer)) fail(`model.add() expects a layer from tf.layers.*, got ${typeof layer}`);
      if (this.added.length === 0) {
        if (layer.rule.arity === 'none') {
          this.inputTensor = layer.output;
          this.outputTensors = [layer.output as SymbolicTensor];
          this.added.push(layer);
          return;
        }
        if (!layer.declaredInput) {
          fail(
            'the first layer of a sequential model needs an inputShape, e.g. ' +
              `tf.layers.${layer.rule.factory}({ inputShape, ... })`,
          );
        }
        const input = makeInput({ inputShape: layer.declaredInput, name: `${layer.name}_input` }, false);
        this.inputTensor = input.output;
        this.outputTensors = [layer.apply(input.output)];
      } else {
        if (layer.rule.arity === 'none') fail('an input layer can only be the first layer of a sequential model');
        const last = this.outputTensors[0];
        if (!last) fail('internal error: sequential model without output');
        this.outputTensors = [layer.apply(last)];
      }
      this.added.push(layer);
    }
    pop(): void {
      fail('model.pop() is not supported; build the model without the layer instead');
    }
  }

  class FunctionalModel extends ShimModel {
    constructor(args: { inputs?: unknown; outputs?: unknown; name?: unknown }) {
      super(args?.name, uniqueName('model'));
      if (args === null || typeof args !== 'object') fail('tf.model() expects { inputs, outputs }');
      const inputs = Array.isArray(args.inputs) ? args.inputs : [args.inputs];
      const outputs = Array.isArray(args.outputs) ? args.outputs : [args.outputs];
      if (inputs.length !== 1) fail(`the model must have exactly one input (the image batch), got ${inputs.length}`);
      const input = inputs[0];
      if (!(input instanceof SymbolicTensor) || input.sourceLayer.rule.arity !== 'none') {
        fail('tf.model({ inputs }) expects the tensor returned by tf.input()');
      }
      for (const output of outputs) {
        if (!(output instanceof SymbolicTensor)) fail('tf.model({ outputs }) expects tensors returned by layer.apply()');
      }
      if (outputs.length !== 1) {
        throw shimError('output-shape', `the model must have exactly one output of shape [batch, numClasses], got ${outputs.length} outputs`);
      }
      this.inputTensor = input;
      this.outputTensors = outputs as SymbolicTensor[];
      graphOf(this);
    }
  }

  interface Graph {
    layers: ShimLayer[];
  }
  /** Layers reachable backwards from the output, in topological order (input first). */
  function graphOf(model: ShimModel): Graph {
    const output = model.outputs[0];
    const input = model.inputs[0];
    if (!output || !input) fail(`model '${model.name}' is empty: add layers before returning it`);
    const order: ShimLayer[] = [];
    const seen = new Set<ShimLayer>();
    const stack: [ShimLayer, boolean][] = [[output.sourceLayer, false]];
    while (stack.length > 0) {
      const [layer, expanded] = stack.pop() as [ShimLayer, boolean];
      if (expanded) {
        order.push(layer);
        continue;
      }
      if (seen.has(layer)) continue;
      seen.add(layer);
      stack.push([layer, true]);
      for (const tensor of (layer.inbound ?? []).slice().reverse()) {
        if (!seen.has(tensor.sourceLayer)) stack.push([tensor.sourceLayer, false]);
      }
    }
    for (const layer of order) {
      if (layer.rule.arity === 'none' && layer !== input.sourceLayer) {
        fail(
          `graph disconnected: the output depends on the input '${layer.name}', which is not the model's input ` +
            `'${input.sourceLayer.name}'`,
        );
      }
    }
    if (!seen.has(input.sourceLayer)) fail(`graph disconnected: the output does not depend on the input '${input.sourceLayer.name}'`);
    return { layers: order };
  }

  function describe(value: unknown): TfjsModelTopology {
    if (!(value instanceof ShimModel)) {
      fail(
        `buildModel must return a model made with tf.sequential() or tf.model(), got ${
          value === null ? 'null' : typeof value
        }`,
      );
    }
    const layers = graphOf(value).layers;
    let params = 0;
    let flops = 0;
    for (const layer of layers) {
      params += layer.params;
      flops += layer.flops;
    }
    if (params > limits.maxParams) {
      throw shimError('resource-cap', `the model has ${params} parameters, over the cap of ${limits.maxParams} (maxParams)`);
    }
    if (flops > limits.maxFlops) {
      throw shimError('resource-cap', `the model needs ${flops} FLOPs per example, over the cap of ${limits.maxFlops} (maxFlops)`);
    }
    const entries: TopologyLayer[] = layers.map((layer) => ({
      name: layer.name,
      class_name: layer.rule.className,
      config: JSON.parse(JSON.stringify(layer.config)) as LayerConfig,
      inbound_nodes:
        layer.rule.arity === 'none'
          ? []
          : [(layer.inbound ?? []).map((tensor) => [tensor.sourceLayer.name, 0, 0, {}] as [string, number, number, Record<string, never>])],
    }));
    const input = value.inputs[0] as SymbolicTensor;
    const output = value.outputs[0] as SymbolicTensor;
    return {
      class_name: 'Model',
      config: {
        name: value.name,
        layers: entries,
        input_layers: [[input.sourceLayer.name, 0, 0]],
        output_layers: [[output.sourceLayer.name, 0, 0]],
      },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    };
  }

  /** Objects that report what is missing instead of returning undefined. */
  function strict<T extends object>(target: T, path: string, hint: string): T {
    return new Proxy(target, {
      get(object, key, receiver) {
        if (typeof key === 'symbol' || key in object) return Reflect.get(object, key, receiver);
        if (key === 'then' || key === 'toJSON') return undefined;
        return fail(`${path}.${key} is not available in this search space. ${hint}`);
      },
    });
  }

  const layersApi: Record<string, (args?: Record<string, unknown>) => ShimLayer> = {};
  for (const [factory, rule] of Object.entries(factories)) {
    layersApi[factory] = (args = {}) => {
      if (rule.arity === 'none') {
        const input = makeInput(args ?? {}, false);
        return input;
      }
      return new ShimLayer(rule, args ?? {});
    };
  }
  const supportedLayers = `Supported layers: ${Object.keys(factories).sort().join(', ')}.`;

  const initializers: Record<string, (args?: Record<string, unknown>) => LayerConfig> = {};
  for (const id of [
    'glorotNormal',
    'glorotUniform',
    'heNormal',
    'heUniform',
    'leCunNormal',
    'leCunUniform',
    'varianceScaling',
    'zeros',
    'ones',
    'constant',
    'randomNormal',
    'randomUniform',
    'truncatedNormal',
  ]) {
    initializers[id] = (args = {}) => {
      try {
        return catalogue.initializer(id, args ?? {});
      } catch (error) {
        throw shimError('compile', (error as Error).message);
      }
    };
  }
  const wrapRegularizer = (l1: unknown, l2: unknown): LayerConfig => {
    try {
      return catalogue.regularizer(l1, l2);
    } catch (error) {
      throw shimError('compile', (error as Error).message);
    }
  };
  const regularizers = {
    l1: (args: { l1?: unknown } = {}) => wrapRegularizer(args?.l1 ?? 0.01, 0),
    l2: (args: { l2?: unknown } = {}) => wrapRegularizer(0, args?.l2 ?? 0.01),
    l1l2: (args: { l1?: unknown; l2?: unknown } = {}) => wrapRegularizer(args?.l1 ?? 0.01, args?.l2 ?? 0.01),
  };
  // Optimizers are accepted for model.compile() calls and ignored: training is the trainer's job.
  const optimizer = (kind: string) => () => ({ optimizerName: kind });
  const train = {
    sgd: optimizer('sgd'),
    momentum: optimizer('momentum'),
    adam: optimizer('adam'),
    adamax: optimizer('adamax'),
    rmsprop: optimizer('rmsprop'),
    adagrad: optimizer('adagrad'),
    adadelta: optimizer('adadelta'),
  };

  const tf = strict(
    {
      version: { 'tfjs-layers': '4.22.0 (describe-only sandbox)' },
      input: (args: Record<string, unknown> = {}) => makeInput(args ?? {}, true).output,
      sequential: (args?: { layers?: unknown; name?: unknown }) => new ShimSequential(args ?? {}),
      model: (args: { inputs?: unknown; outputs?: unknown; name?: unknown }) => new FunctionalModel(args),
      layers: strict(layersApi, 'tf.layers', supportedLayers),
      initializers: strict(initializers, 'tf.initializers', ''),
      regularizers: strict(regularizers, 'tf.regularizers', 'Use l1, l2 or l1l2.'),
      train: strict(train, 'tf.train', ''),
    },
    'tf',
    'buildModel may only describe a model with tf.input, tf.model, tf.sequential, tf.layers.*, ' +
      'tf.initializers.* and tf.regularizers.*; it cannot run tensor operations.',
  );

  return {
    tf,
    describe,
    reasonOf: (error) => (error !== null && typeof error === 'object' ? (errors.get(error) ?? null) : null),
  };
}
