/**
 * Replies of a protocol-level LLM double for TensorFlow.js searches: real model-building programs
 * as a code model writes them (fenced, with prose), several good, several broken the ways LLMs
 * break code. The reply depends only on the request's seed and text, so a resumed run gets the
 * same replies.
 */
import { Rng } from '@llmatic/core';
import type { ReplyRequest } from '../doubles/llm-double.js';

const fence = (code: string) => `Here is the improved network:\n\n\`\`\`javascript\n${code.trim()}\n\`\`\`\n\nIt should train better.`;

const convnet = (filters: number, dense: number) => `
function buildModel(tf, { inputShape, numClasses }) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape, filters: ${filters}, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  ${dense > 0 ? `model.add(tf.layers.dense({ units: ${dense}, activation: 'relu' }));` : ''}
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}`;

/** Networks that build and train. */
export const GOOD_PROGRAMS: readonly string[] = [
  convnet(4, 0),
  convnet(8, 32),
  convnet(16, 0),
  `
function block(tf, x, filters) {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  return tf.layers.add().apply([x, y]);
}
function buildModel(tf, { inputShape, numClasses }) {
  const input = tf.input({ shape: inputShape });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
  x = block(tf, x, 8);
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x);
  x = tf.layers.flatten().apply(x);
  const output = tf.layers.dense({ units: numClasses, activation: 'softmax' }).apply(x);
  return tf.model({ inputs: input, outputs: output });
}`,
  `
function buildModel(tf, { inputShape, numClasses }) {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}`,
  `
function buildModel(tf, { inputShape, numClasses }) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape, filters: 8, kernelSize: 5, strides: 2, activation: 'relu' }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}`,
];

/** Replies that fail, each for a reason the run must record. */
export const BROKEN_REPLIES: readonly string[] = [
  // Prose only.
  'To improve the network, add more convolutional layers and batch normalisation.',
  // Syntax error.
  fence(`function buildModel(tf, { inputShape, numClasses }) {\n  const model = tf.sequential(;\n  return model;\n}`),
  // Wrong output shape.
  fence(`function buildModel(tf, { inputShape, numClasses }) {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape }));
  model.add(tf.layers.dense({ units: 7, activation: 'softmax' }));
  return model;
}`),
  // Reaches for the file system.
  fence(`const fs = require('fs');\nfunction buildModel(tf, { inputShape, numClasses }) {\n  fs.writeFileSync('/tmp/x', 'y');\n  return tf.sequential();\n}`),
  // Never returns.
  fence(`function buildModel(tf, { inputShape, numClasses }) {\n  while (true) {}\n}`),
  // Billions of parameters.
  fence(`function buildModel(tf, { inputShape, numClasses }) {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape }));
  model.add(tf.layers.dense({ units: 4000000, activation: 'relu' }));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}`),
  // Truncated mid-program.
  'Here you go:\n```javascript\nfunction buildModel(tf, { inputShape, numClasses }) {\n  const model = tf.sequential();\n  model.add(tf.layers.conv2d({ inputShape, filters: 8,',
];

export function tfjsReply(request: ReplyRequest): string {
  const text = request.prompt ?? request.messages?.map((m) => m.content).join('\n') ?? '';
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  const rng = Rng.derive(request.seed ?? 0, 'tfjs-reply', hash);
  if (rng.chance(0.3)) return rng.pick(BROKEN_REPLIES);
  return fence(rng.pick(GOOD_PROGRAMS));
}
