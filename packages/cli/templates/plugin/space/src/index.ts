import {
  DEFAULT_CROSSOVER_INSTRUCTION,
  DEFAULT_MUTATIONS,
  DEFAULT_RANDOM_GENERATION_INSTRUCTION,
  fail,
  type Descriptor,
  type Result,
  type Rng,
  type SearchSpace,
} from '@llmatic/core';

/**
 * The language: one line, `mlp(<width>, ..., <activation>)`, e.g. `mlp(128, 64, relu)`: hidden
 * dense layers of those widths between a 784-pixel input and 10 classes.
 */
export const LANGUAGE = 'mlp-v1';
export const ACTIVATIONS = ['relu', 'tanh', 'gelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
const WIDTHS = [16, 32, 64, 128, 256, 512] as const;
const MAX_LAYERS = 6;
const MAX_WIDTH = 1024;
const INPUTS = 784;
const CLASSES = 10;

/** A compiled program: plain data, so it can cross process boundaries. */
export interface MlpModel {
  widths: number[];
  activation: Activation;
}

const PROGRAM = /mlp\(\s*([^()]*?)\s*\)/g;

export function printMlp(model: MlpModel): string {
  return `mlp(${[...model.widths, model.activation].join(', ')})`;
}

/** Parses one program; the failure says what is wrong and what is allowed. */
export function parseMlp(code: string): Result<{ model: MlpModel }> {
  const match = /^\s*mlp\(\s*([^()]*?)\s*\)\s*$/.exec(code);
  if (!match) return fail('compile', `expected one line mlp(<width>, ..., <activation>), got "${code.slice(0, 80)}"`);
  const parts = (match[1] ?? '').split(',').map((part) => part.trim());
  const activation = parts.pop();
  if (!ACTIVATIONS.includes(activation as Activation)) {
    return fail('compile', `the last argument must be an activation (${ACTIVATIONS.join(', ')}), got "${activation}"`);
  }
  if (parts.length < 1 || parts.length > MAX_LAYERS) return fail('compile', `expected 1 to ${MAX_LAYERS} layer widths, got ${parts.length}`);
  const widths = parts.map(Number);
  const bad = widths.findIndex((width) => !Number.isInteger(width) || width < 1 || width > MAX_WIDTH);
  if (bad >= 0) return fail('compile', `layer widths must be integers from 1 to ${MAX_WIDTH}, got "${parts[bad]}"`);
  return { ok: true, model: { widths, activation: activation as Activation } };
}

/** Trainable parameters (weights and biases) of the network. */
export function parameterCount(model: MlpModel): number {
  const sizes = [INPUTS, ...model.widths, CLASSES];
  return sizes.slice(1).reduce((total, size, i) => total + ((sizes[i] ?? 0) + 1) * size, 0);
}

const depth: Descriptor<MlpModel> = { name: 'depth', label: 'hidden layers', bounds: [1, MAX_LAYERS], compute: (m) => m.widths.length };
const size: Descriptor<MlpModel> = {
  name: 'log10Params',
  label: 'parameters (log10)',
  bounds: [Math.log10(parameterCount({ widths: [1], activation: 'relu' })), Math.log10(parameterCount({ widths: Array(MAX_LAYERS).fill(MAX_WIDTH), activation: 'relu' }))],
  compute: (m) => Math.log10(parameterCount(m)),
};

function randomMlp(rng: Rng): string {
  const widths = Array.from({ length: rng.int(1, MAX_LAYERS) }, () => rng.pick(WIDTHS));
  return printMlp({ widths, activation: rng.pick(ACTIVATIONS) });
}

/** One edit: change a width, add or remove a layer, or change the activation. */
function mutateMlp(code: string, rng: Rng): string {
  const parsed = parseMlp(code);
  if (!parsed.ok) return randomMlp(rng);
  const { widths, activation } = parsed.model;
  const next = [...widths];
  const edit = rng.int(0, 3);
  if (edit === 0) next[rng.int(0, next.length - 1)] = rng.pick(WIDTHS);
  else if (edit === 1 && next.length < MAX_LAYERS) next.splice(rng.int(0, next.length), 0, rng.pick(WIDTHS));
  else if (edit === 2 && next.length > 1) next.splice(rng.int(0, next.length - 1), 1);
  else return printMlp({ widths: next, activation: rng.pick(ACTIVATIONS.filter((a) => a !== activation)) });
  return printMlp({ widths: next, activation });
}

const SYSTEM = `You design multilayer perceptrons for 28x28 grey images (784 inputs) and 10 classes.
A network is written as one line: mlp(<width>, ..., <activation>), with 1 to ${MAX_LAYERS} hidden layer widths
from 1 to ${MAX_WIDTH} and an activation among ${ACTIVATIONS.join(', ')}. Answer with the new network in a \`\`\`mlp code block.`;

/** The search space. */
export function {{factory}}(): SearchSpace<MlpModel> {
  return {
    name: '{{pluginName}}',
    language: LANGUAGE,
    seed: 'mlp(128, relu)',
    prompts: {
      system: SYSTEM,
      mutation: {
        chat: 'The network:\n```mlp\n{{code}}\n```\n{{instruction}}',
        completion: `${SYSTEM}\n\nThe network:\n\`\`\`mlp\n{{code}}\n\`\`\`\n{{instruction}}\n\`\`\`mlp\n`,
      },
      crossover: {
        chat: 'Network A:\n```mlp\n{{code_a}}\n```\nNetwork B:\n```mlp\n{{code_b}}\n```\n{{instruction}}',
        completion: `${SYSTEM}\n\nNetwork A:\n\`\`\`mlp\n{{code_a}}\n\`\`\`\nNetwork B:\n\`\`\`mlp\n{{code_b}}\n\`\`\`\n{{instruction}}\n\`\`\`mlp\n`,
      },
      mutations: DEFAULT_MUTATIONS,
      crossoverInstruction: DEFAULT_CROSSOVER_INSTRUCTION,
      randomGenerationInstruction: DEFAULT_RANDOM_GENERATION_INSTRUCTION,
      stop: ['```'],
    },
    // The last program in the reply: models often restate the parent before the answer.
    extract(reply: string) {
      const programs = [...reply.matchAll(PROGRAM)];
      const last = programs.at(-1);
      return last ? { ok: true, code: last[0] } : fail('extraction', 'no mlp(...) program in the reply');
    },
    compiler: { language: LANGUAGE, compile: async (code: string) => parseMlp(code) },
    descriptors: [depth, size],
    operators: { random: randomMlp, mutate: mutateMlp },
  };
}
