import { fail, type Result } from '@llmatic/core';
import type { z } from 'zod';
import { createLayerCatalogue, type LayerConfig, type Shape } from '../layers/catalogue.js';
import type { TfjsLayerSummary, TfjsModelSpec, TfjsModelTopology } from '../spec.js';
import { configSchema, SUPPORTED_CLASSES, topologySchema } from './schema.js';

/** What a topology must satisfy to become a model of the space. */
export interface TopologyLimits {
  inputShape: number[];
  numClasses: number;
  maxParams: number;
  maxFlops: number;
  maxLayers: number;
}

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
 * topology itself (class and config of every layer, graph, shapes, parameters, FLOPs) with the
 * same catalogue the shim uses, so a program that tampered with the shim gains nothing.
 */
export function validateTopology(raw: unknown, limits: TopologyLimits): Result<{ model: TfjsModelSpec }> {
  const parsed = topologySchema.safeParse(raw);
  if (!parsed.success) return fail('compile', `the model description is invalid: ${issues(parsed.error)}`);
  const topology = parsed.data as TfjsModelTopology;
  const entries = topology.config.layers;
  if (entries.length - 1 > limits.maxLayers) {
    return fail('resource-cap', `the model has ${entries.length - 1} layers, over the cap of ${limits.maxLayers} (maxLayers)`);
  }

  const byName = new Map<string, (typeof entries)[number]>();
  for (const entry of entries) {
    if (byName.has(entry.name)) return fail('compile', `the layer name '${entry.name}' is used twice`);
    byName.set(entry.name, entry);
    const schema = configSchema(entry.class_name);
    if (!schema) {
      return fail(
        'compile',
        `layer '${entry.name}' has class ${entry.class_name}, which this search space does not support ` +
          `(supported: ${SUPPORTED_CLASSES.join(', ')})`,
      );
    }
    const config = schema.safeParse(entry.config);
    if (!config.success) return fail('compile', `layer '${entry.name}' (${entry.class_name}): ${issues(config.error)}`);
    if (entry.config.name !== entry.name) return fail('compile', `layer '${entry.name}' has config name '${entry.config.name}'`);
    const rule = catalogue.rules[entry.class_name];
    const inbound = entry.inbound_nodes[0] ?? [];
    const arityOk =
      rule?.arity === 'none' ? entry.inbound_nodes.length === 0 : rule?.arity === 'one' ? inbound.length === 1 : inbound.length >= 2;
    if (!arityOk) return fail('compile', `layer '${entry.name}' (${entry.class_name}) has the wrong number of inputs`);
  }

  const inputName = topology.config.input_layers[0]?.[0] as string;
  const outputName = topology.config.output_layers[0]?.[0] as string;
  if (byName.get(inputName)?.class_name !== 'InputLayer') return fail('compile', `the model input '${inputName}' is not an InputLayer`);
  if (!byName.has(outputName)) return fail('compile', `the model output '${outputName}' is not a layer of the model`);

  // Depth-first from the output: topological order, cycles and dangling references.
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]): string | null => {
    const entry = byName.get(name);
    if (!entry) return `layer '${path.at(-1)}' takes input from '${name}', which is not a layer of the model`;
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'open') return `the model has a cycle through '${name}'`;
    state.set(name, 'open');
    for (const [source] of entry.inbound_nodes[0] ?? []) {
      const problem = visit(source, [...path, name]);
      if (problem) return problem;
    }
    state.set(name, 'done');
    order.push(name);
    return null;
  };
  const cycle = visit(outputName, []);
  if (cycle) return fail('compile', cycle);
  if (order.length !== entries.length) {
    const unused = entries.find((entry) => !state.has(entry.name));
    return fail('compile', `layer '${unused?.name}' is not connected to the model's output`);
  }
  const inputs = order.filter((name) => byName.get(name)?.class_name === 'InputLayer');
  if (inputs.length !== 1 || inputs[0] !== inputName) {
    return fail('compile', `the model must have exactly one input, '${inputName}'; found ${inputs.join(', ')}`);
  }

  // Shapes, parameters, FLOPs, in topological order.
  const shapes = new Map<string, Shape>();
  const layers: TfjsLayerSummary[] = [];
  let params = 0;
  let flops = 0;
  for (const name of order) {
    const entry = byName.get(name) as (typeof entries)[number];
    const rule = catalogue.rules[entry.class_name];
    if (!rule) return fail('compile', `internal: no rule for ${entry.class_name}`);
    const config = entry.config as LayerConfig;
    const inbound = (entry.inbound_nodes[0] ?? []).map(([source]) => source);
    const inShapes = inbound.map((source) => shapes.get(source) as Shape);
    let output: Shape;
    let layerParams: number;
    let layerFlops: number;
    try {
      output = rule.outputShape(config, inShapes);
      layerParams = rule.params(config, inShapes);
      layerFlops = rule.flops(config, inShapes, output);
    } catch (error) {
      return fail('compile', `layer '${name}' (${entry.class_name}): ${(error as Error).message}`);
    }
    shapes.set(name, output);
    params += layerParams;
    flops += layerFlops;
    layers.push({ name, className: entry.class_name, inbound, outputShape: output, params: layerParams, flops: layerFlops });
  }

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
      outputActivation: outputActivationOf(byName.get(outputName) as (typeof entries)[number]),
      layers,
    },
  };
}

function outputActivationOf(entry: { class_name: string; config: Record<string, unknown> }): string {
  if (entry.class_name === 'Softmax') return 'softmax';
  const activation = entry.config.activation;
  return typeof activation === 'string' ? activation : 'linear';
}
