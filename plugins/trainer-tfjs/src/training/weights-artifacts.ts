import * as tf from '@tensorflow/tfjs';
import type { Artifact } from '@llmatic/core';

/**
 * Trained weights as the two files of the standard tfjs layers-model format: `model.json`
 * (topology + weights manifest pointing at `weights.bin`) and `weights.bin`.
 */
export async function modelToArtifacts(model: tf.LayersModel): Promise<Artifact[]> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  if (!saved || !saved.weightSpecs || saved.weightData === undefined) throw new Error('internal: model.save produced no weights');
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(saved.weightData));
  const manifest = {
    modelTopology: saved.modelTopology,
    format: 'layers-model',
    generatedBy: saved.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: ['weights.bin'], weights: saved.weightSpecs }],
  };
  return [
    { name: 'model.json', data: new TextEncoder().encode(JSON.stringify(manifest)) },
    { name: 'weights.bin', data: weights },
  ];
}

/** Loads `model.json` + `weights.bin` artifacts (as kept for an elite) back into a LayersModel. */
export async function loadTrainedModel(artifacts: readonly Artifact[]): Promise<tf.LayersModel> {
  const json = artifacts.find((a) => a.name === 'model.json');
  const weights = artifacts.find((a) => a.name === 'weights.bin');
  if (!json || !weights) throw new Error('loadTrainedModel needs the artifacts model.json and weights.bin.');
  const manifest = JSON.parse(new TextDecoder().decode(json.data)) as {
    modelTopology?: unknown;
    weightsManifest?: Array<{ weights: tf.io.WeightsManifestEntry[] }>;
  };
  const specs = manifest.weightsManifest?.flatMap((g) => g.weights);
  if (!manifest.modelTopology || !specs) throw new Error('model.json has no modelTopology or weightsManifest; it is not a tfjs layers model.');
  const data = weights.data.buffer.slice(weights.data.byteOffset, weights.data.byteOffset + weights.data.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: manifest.modelTopology as object, weightSpecs: specs, weightData: data }));
}
