import { fail, type Result } from '@llmatic/core';
import type { z } from 'zod';
import { resolveCostCaps, type CostCaps } from '../cost/cost-caps.js';
import { layerCost } from '../cost/layer-cost.js';
import { checkCost, modelCost, type NamedLayerCost } from '../cost/model-cost.js';
import { createLayerCatalogue, type LayerConfig, type LayerRule, type Shape } from '../layers/catalogue.js';
import type { TfjsLayerSummary, TfjsModelSpec, TfjsModelTopology, TopologyLayer } from '../spec.js';
import { configSchema, SUPPORTED_CLASSES, topologySchema } from './schema.js';

/**
 * What a topology must satisfy to become a model of the space. Cost caps left out take their
 * defaults (`DEFAULT_COST_CAPS`; `maxTrainingFlops` is 3 x `maxFlops`).
 */
export interface TopologyLimits extends Partial<CostCaps> {
  inputShape: number[];
  numClasses: number;
  maxParams: number;
  maxFlops: number;
  maxLayers: number;
}

type Outcome = Result<{ model: TfjsModelSpec }>;
type Refusal = Extract<Outcome, { ok: false }>;

const catalogue = createLayerCatalogue();

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'topology'}: ${issue.message}`)
    .join('; ');
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

/**
 * The trusted side's check of what the sandbox returned. It re-derives everything from the
 * topology itself (class and config of every layer, graph, shapes, parameters, FLOPs and the
 * training cost of every layer) with the same catalogue the shim uses, so a program that tampered
 * with the shim gains nothing. It never throws: whatever the JSON holds, the answer is a result.
 */
export function validateTopology(raw: unknown, limits: TopologyLimits): Outcome {
  try {
    return validate(raw, limits);
  } catch (error) {
    // Not expected (every lookup is an own-property or Map lookup); kept so a bug is a refusal, not a crash.
    return fail('compile', `the model description could not be checked: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function validate(raw: unknown, limits: TopologyLimits): Outcome {
  const caps: CostCaps = resolveCostCaps(limits, limits.maxFlops);
  const parsed = topologySchema.safeParse(raw);
  if (!parsed.success) return fail('compile', `the model description is invalid: ${issues(parsed.error)}`);
  const layerCount = parsed.data.config.layers.length;
  if (layerCount - 1 > limits.maxLayers) {
    return fail('resource-cap', `the model has ${layerCount - 1} layers, over the cap of ${limits.maxLayers} (maxLayers)`);
  }
  const layers = checkLayers(parsed.data.config.layers);
  if (!Array.isArray(layers)) return layers;
  const topology: TfjsModelTopology = { ...parsed.data, config: { ...parsed.data.config, layers } };
  const byName = new Map(layers.map((entry) => [entry.name, entry]));

  const inputName = topology.config.input_layers[0]?.[0] as string;
  const outputName = topology.config.output_layers[0]?.[0] as string;
  if (byName.get(inputName)?.class_name !== 'InputLayer') return fail('compile', `the model input '${inputName}' is not an InputLayer`);
  if (!byName.has(outputName)) return fail('compile', `the model output '${outputName}' is not a layer of the model`);
  const order = topologicalOrder(byName, outputName, inputName);
  if (!Array.isArray(order)) return order;

  const measured = measure(order, byName, caps);
  if (!('layers' in measured)) return measured;
  const { summaries, costs, shapes, params, flops } = measured;

  const inputShape = shapes.get(inputName) as Shape;
  if (!sameShape(inputShape, limits.inputShape)) {
    return fail(
      'compile',
      `the model's input is [batch, ${inputShape.join(', ')}] but the data is [batch, ${limits.inputShape.join(', ')}]; ` +
        'use the inputShape passed to buildModel',
    );
  }
  if (params > limits.maxParams) {
    return fail('resource-cap', `the model has ${params} parameters, over the cap of ${limits.maxParams} (maxParams)`);
  }
  if (flops > limits.maxFlops) {
    return fail('resource-cap', `the model needs ${flops} FLOPs per example, over the cap of ${limits.maxFlops} (maxFlops)`);
  }
  const cost = modelCost(costs, params, caps.trainingBatchSize);
  const expensive = checkCost(cost, costs, caps);
  if (expensive) return { ok: false, failure: expensive };
  const outputShape = shapes.get(outputName) as Shape;
  if (!sameShape(outputShape, [limits.numClasses])) {
    return fail(
      'output-shape',
      `the model's output is [batch, ${outputShape.join(', ')}] but must be [batch, ${limits.numClasses}] ` +
        '(one score per class); end with a dense layer of numClasses units',
    );
  }

  return {
    ok: true,
    model: {
      topology,
      inputShape: limits.inputShape.slice(),
      numClasses: limits.numClasses,
      params,
      flops,
      cost,
      outputActivation: outputActivationOf(byName.get(outputName) as TopologyLayer),
      layers: summaries,
    },
  };
}

/**
 * Per layer: a supported class (looked up in Maps, so `constructor` or `__proto__` is just an
 * unknown class), a strictly typed config, the right number of inputs, a unique name. Returns the
 * layers rebuilt from the parsed configs, so nothing unchecked reaches the trainer.
 */
function checkLayers(entries: readonly { name: string; class_name: string; config: unknown; inbound_nodes: TopologyLayer['inbound_nodes'] }[]): TopologyLayer[] | Refusal {
  const seen = new Set<string>();
  const layers: TopologyLayer[] = [];
  for (const entry of entries) {
    if (seen.has(entry.name)) return fail('compile', `the layer name '${entry.name}' is used twice; layer names must be unique`);
    seen.add(entry.name);
    const schema = configSchema(entry.class_name);
    const rule = ruleOf(entry.class_name);
    if (!schema || !rule) {
      return fail(
        'compile',
        `layer '${entry.name}' has class ${entry.class_name.slice(0, 100)}, which this search space does not support ` +
          `(supported: ${SUPPORTED_CLASSES.join(', ')})`,
      );
    }
    const config = schema.safeParse(entry.config);
    if (!config.success) return fail('compile', `layer '${entry.name}' (${entry.class_name}): ${issues(config.error)}`);
    const data = config.data as LayerConfig;
    if (data.name !== entry.name) return fail('compile', `layer '${entry.name}' has config name '${String(data.name)}'`);
    const inbound = entry.inbound_nodes[0] ?? [];
    const arityOk =
      rule.arity === 'none' ? entry.inbound_nodes.length === 0 : rule.arity === 'one' ? inbound.length === 1 : inbound.length >= 2;
    if (!arityOk) return fail('compile', `layer '${entry.name}' (${entry.class_name}) has the wrong number of inputs`);
    layers.push({ name: entry.name, class_name: entry.class_name, config: data, inbound_nodes: entry.inbound_nodes });
  }
  return layers;
}

function ruleOf(className: string): LayerRule | undefined {
  return Object.hasOwn(catalogue.rules, className) ? catalogue.rules[className] : undefined;
}

/** Depth-first from the output: topological order, refusing cycles, dangling references, unconnected layers and extra inputs. */
function topologicalOrder(byName: ReadonlyMap<string, TopologyLayer>, outputName: string, inputName: string): string[] | Refusal {
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  // An explicit stack: a forged chain of thousands of layers must not overflow the call stack.
  const stack: { name: string; from: string | undefined; expanded: boolean }[] = [{ name: outputName, from: undefined, expanded: false }];
  while (stack.length > 0) {
    const frame = stack.pop() as (typeof stack)[number];
    if (frame.expanded) {
      state.set(frame.name, 'done');
      order.push(frame.name);
      continue;
    }
    const entry = byName.get(frame.name);
    if (!entry) return fail('compile', `layer '${frame.from}' takes input from '${frame.name}', which is not a layer of the model`);
    const seen = state.get(frame.name);
    if (seen === 'done') continue;
    if (seen === 'open') return fail('compile', `the model has a cycle through '${frame.name}'`);
    state.set(frame.name, 'open');
    stack.push({ ...frame, expanded: true });
    const sources = (entry.inbound_nodes[0] ?? []).map(([source]) => source);
    for (const source of sources.reverse()) {
      if (state.get(source) === 'open') return fail('compile', `the model has a cycle through '${source}'`);
      if (state.get(source) !== 'done') stack.push({ name: source, from: frame.name, expanded: false });
    }
  }
  if (order.length !== byName.size) {
    const unused = [...byName.keys()].find((name) => !state.has(name));
    return fail('compile', `layer '${unused}' is not connected to the model's output`);
  }
  const inputs = order.filter((name) => byName.get(name)?.class_name === 'InputLayer');
  if (inputs.length !== 1 || inputs[0] !== inputName) {
    return fail('compile', `the model must have exactly one input, '${inputName}'; found ${inputs.join(', ')}`);
  }
  return order;
}

interface Measured {
  layers: true;
  summaries: TfjsLayerSummary[];
  costs: NamedLayerCost[];
  shapes: Map<string, Shape>;
  params: number;
  flops: number;
}

/** Shapes, parameters, FLOPs and training cost, in topological order; stops at the first dimension over the cap. */
function measure(order: readonly string[], byName: ReadonlyMap<string, TopologyLayer>, caps: CostCaps): Measured | Refusal {
  const shapes = new Map<string, Shape>();
  const summaries: TfjsLayerSummary[] = [];
  const costs: NamedLayerCost[] = [];
  let params = 0;
  let flops = 0;
  for (const name of order) {
    const entry = byName.get(name) as TopologyLayer;
    const rule = ruleOf(entry.class_name) as LayerRule;
    const inbound = (entry.inbound_nodes[0] ?? []).map(([source]) => source);
    const inShapes = inbound.map((source) => shapes.get(source) as Shape);
    let output: Shape;
    let layerParams: number;
    let layerFlops: number;
    try {
      output = rule.outputShape(entry.config, inShapes);
      const tooBig = output.find((dim) => dim > caps.maxDimension);
      if (tooBig !== undefined) {
        return fail(
          'resource-cap',
          `layer '${name}' (${entry.class_name}) outputs [batch, ${output.join(', ')}]: dimension ${tooBig} is over the cap of ` +
            `${caps.maxDimension} (maxDimension); raise maxDimension in the tfjsSpace / tfjsCompiler options, or shrink the layer`,
        );
      }
      layerParams = rule.params(entry.config, inShapes);
      layerFlops = rule.flops(entry.config, inShapes, output);
    } catch (error) {
      return fail('compile', `layer '${name}' (${entry.class_name}): ${(error as Error).message}`);
    }
    shapes.set(name, output);
    params += layerParams;
    flops += layerFlops;
    const cost = layerCost({ className: entry.class_name, config: entry.config, inputs: inShapes, output, flops: layerFlops });
    costs.push({ name, className: entry.class_name, ...cost });
    summaries.push({ name, className: entry.class_name, inbound, outputShape: output, params: layerParams, flops: layerFlops });
  }
  return { layers: true, summaries, costs, shapes, params, flops };
}

function outputActivationOf(entry: TopologyLayer): string {
  if (entry.class_name === 'Softmax') return 'softmax';
  const activation = Object.hasOwn(entry.config, 'activation') ? entry.config.activation : undefined;
  return typeof activation === 'string' ? activation : 'linear';
}
