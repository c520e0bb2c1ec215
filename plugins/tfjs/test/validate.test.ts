// The trusted side re-derives everything from the topology: a description that a program forged
// by tampering with the shim gains nothing.
import { describe, expect, it } from 'vitest';
import { SEED_PROGRAM, tfjsCompiler, validateTopology, type TfjsModelTopology } from '@llmatic/tfjs';

const limits = { inputShape: [32, 32, 3], numClasses: 10, maxParams: 1e6, maxFlops: 1e9, maxLayers: 50 };

async function seedTopology(): Promise<TfjsModelTopology> {
  const result = await tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10 }).compile(SEED_PROGRAM);
  if (!result.ok) throw new Error(result.failure.message);
  return result.model.topology;
}

function edit(topology: TfjsModelTopology, change: (copy: TfjsModelTopology) => void): TfjsModelTopology {
  const copy = structuredClone(topology);
  change(copy);
  return copy;
}

function layer(topology: TfjsModelTopology, className: string) {
  const found = topology.config.layers.find((entry) => entry.class_name === className);
  if (!found) throw new Error(`no ${className}`);
  return found;
}

describe('validateTopology', () => {
  it('accepts the seed and recomputes its facts', async () => {
    const result = validateTopology(await seedTopology(), limits);
    expect(result.ok && result.model.params).toBe(10_254);
  });

  it('refuses classes outside the space', async () => {
    const forged = edit(await seedTopology(), (copy) => {
      layer(copy, 'Flatten').class_name = 'Conv3D';
    });
    const result = validateTopology(forged, limits);
    expect(!result.ok && result.failure.message).toMatch(/class Conv3D, which this search space does not support/);
  });

  it('refuses config keys the validator does not measure (they could change the model)', async () => {
    const forged = edit(await seedTopology(), (copy) => {
      layer(copy, 'Conv2D').config.groups = 3;
    });
    const result = validateTopology(forged, limits);
    expect(!result.ok && result.failure.message).toMatch(/Conv2D.*groups/);
  });

  it('recomputes parameters from configs: a wider layer hits the cap', async () => {
    const forged = edit(await seedTopology(), (copy) => {
      layer(copy, 'Conv2D').config.filters = 1000;
    });
    const result = validateTopology(forged, limits);
    expect(!result.ok && result.failure).toEqual({
      reason: 'resource-cap',
      message: expect.stringMatching(/has 10244010 parameters, over the cap of 1000000/),
    });
  });

  it('refuses cycles, dangling references and disconnected layers', async () => {
    const seed = await seedTopology();
    const cycle = edit(seed, (copy) => {
      layer(copy, 'Conv2D').inbound_nodes = [[['dense_1', 0, 0, {}]]];
    });
    expect(validateTopology(cycle, limits)).toMatchObject({ ok: false, failure: { message: expect.stringMatching(/cycle/) } });
    const dangling = edit(seed, (copy) => {
      layer(copy, 'Flatten').inbound_nodes = [[['ghost', 0, 0, {}]]];
    });
    expect(validateTopology(dangling, limits)).toMatchObject({ ok: false, failure: { message: expect.stringMatching(/'ghost'/) } });
    const extra = edit(seed, (copy) => {
      copy.config.layers.push({ ...structuredClone(layer(copy, 'Flatten')), name: 'flatten_2', config: { name: 'flatten_2', trainable: true } });
    });
    expect(validateTopology(extra, limits)).toMatchObject({
      ok: false,
      failure: { message: expect.stringMatching(/'flatten_2' is not connected/) },
    });
  });

  it('refuses a description that is not a topology at all', () => {
    expect(validateTopology({ class_name: 'Sequential' }, limits)).toMatchObject({ ok: false, failure: { reason: 'compile' } });
    expect(validateTopology(null, limits)).toMatchObject({ ok: false, failure: { reason: 'compile' } });
  });

  it('checks the output shape itself', async () => {
    const forged = edit(await seedTopology(), (copy) => {
      layer(copy, 'Dense').config.units = 7;
    });
    expect(validateTopology(forged, limits)).toMatchObject({ ok: false, failure: { reason: 'output-shape' } });
  });
});
