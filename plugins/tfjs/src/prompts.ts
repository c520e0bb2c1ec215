import {
  DEFAULT_CROSSOVER_INSTRUCTION,
  DEFAULT_MUTATIONS,
  DEFAULT_RANDOM_GENERATION_INSTRUCTION,
  type PromptTemplates,
} from '@llmatic/core';

/** What the prompts tell the LLM about the data. */
export interface TfjsPromptOptions {
  inputShape: readonly number[];
  numClasses: number;
}

/** Layer factories the shim supports, as the prompts list them. */
export const SUPPORTED_FACTORIES = [
  'dense',
  'conv2d',
  'depthwiseConv2d',
  'separableConv2d',
  'maxPooling2d',
  'averagePooling2d',
  'globalAveragePooling2d',
  'globalMaxPooling2d',
  'flatten',
  'dropout',
  'batchNormalization',
  'layerNormalization',
  'activation',
  'reLU',
  'leakyReLU',
  'softmax',
  'add',
  'concatenate',
  'reshape',
  'zeroPadding2d',
  'inputLayer',
] as const;

/** The contract, stated once and shared by the chat and completion forms. */
export function contractText({ inputShape, numClasses }: TfjsPromptOptions): string {
  return [
    'You design neural networks for image classification with the TensorFlow.js Layers API.',
    'A network is JavaScript that defines',
    '',
    '  function buildModel(tf, { inputShape, numClasses }) { ... }',
    '',
    `- inputShape is [${inputShape.join(', ')}] (the batch axis is implicit) and numClasses is ${numClasses}.`,
    '- tf is the TensorFlow.js namespace, passed in: do not import or require anything.',
    '- Return a model built with tf.sequential() and model.add(...), or with tf.input({ shape: inputShape }),',
    '  layer.apply(...) and tf.model({ inputs, outputs }); use the functional form for residual connections,',
    '  e.g. tf.layers.add().apply([shortcut, x]) on tensors of the same shape.',
    `- The output must have shape [batch, ${numClasses}]: end with tf.layers.dense({ units: numClasses, activation: 'softmax' }).`,
    '- Only build the model: do not compile, train or run it, and use no tensors, files, network or timers.',
    `- Available layers: ${SUPPORTED_FACTORIES.map((name) => `tf.layers.${name}`).join(', ')}.`,
    '- Helper functions defined next to buildModel are fine.',
  ].join('\n');
}

const REPLY_FORMAT =
  'Reply with the complete program in one ```javascript code block: buildModel and any helper functions it uses.';

/**
 * Prompt templates of the tfjs space, in chat form (system message with the contract) and in
 * completion form (a JavaScript file the model continues; generation stops at the next section).
 */
export function tfjsPrompts(options: TfjsPromptOptions): PromptTemplates {
  const contract = contractText(options);
  const asComment = contract
    .split('\n')
    .map((line) => (line === '' ? '//' : `// ${line}`))
    .join('\n');
  return {
    system: `${contract}\n\n${REPLY_FORMAT}`,
    mutation: {
      chat: ['Here is a network:', '', '```javascript', '{{code}}', '```', '', '{{instruction}}', REPLY_FORMAT].join('\n'),
      completion: [
        asComment,
        '',
        '// ---- Network ----',
        '{{code}}',
        '',
        '// ---- Task: {{instruction}}',
        '// ---- New network ----',
        '',
      ].join('\n'),
    },
    crossover: {
      chat: [
        'Here are two networks.',
        '',
        'Network A:',
        '```javascript',
        '{{code_a}}',
        '```',
        '',
        'Network B:',
        '```javascript',
        '{{code_b}}',
        '```',
        '',
        '{{instruction}}',
        REPLY_FORMAT,
      ].join('\n'),
      completion: [
        asComment,
        '',
        '// ---- Network A ----',
        '{{code_a}}',
        '',
        '// ---- Network B ----',
        '{{code_b}}',
        '',
        '// ---- Task: {{instruction}}',
        '// ---- New network ----',
        '',
      ].join('\n'),
    },
    mutations: DEFAULT_MUTATIONS,
    crossoverInstruction: DEFAULT_CROSSOVER_INSTRUCTION,
    randomGenerationInstruction: DEFAULT_RANDOM_GENERATION_INSTRUCTION,
    stop: ['// ---- ', '```'],
  };
}
