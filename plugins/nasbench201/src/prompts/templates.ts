import {
  DEFAULT_MUTATIONS,
  type MutationInstruction,
  type PromptTemplates,
} from '@llmatic/core';
import { CELL_HEADER } from '../cell/print.js';
import { DATASET_FACTS, type Nb201Dataset } from '../datasets.js';

/** An example cell in the language, shown in the system message and the completion preamble. */
export const EXAMPLE_CELL = `${CELL_HEADER}
node1 = conv3x3(node0)
node2 = conv3x3(node0) + skip(node1)
node3 = skip(node0) + conv1x1(node1) + avgpool(node2)`;

/**
 * The paper's sixteen mutation instructions (same ids and names as `DEFAULT_MUTATIONS`),
 * reworded so that each one means something for a cell, where the only choice is the operation
 * on each of the six edges.
 */
const CELL_MUTATION_TEXT: Readonly<Record<string, string>> = {
  'add-layer': 'Add a layer: put an operation (conv3x3, conv1x1 or avgpool) on an edge that is now none or skip.',
  'delete-layer': 'Delete a layer: remove one conv3x3, conv1x1 or avgpool operation (make its edge skip or none).',
  improve: 'Improve the cell so that the network reaches a higher accuracy.',
  'improve-smaller': 'Improve the cell while drastically reducing its size: use fewer convolutions, especially fewer conv3x3.',
  'improve-larger': 'Improve the cell while drastically increasing its size: use more convolutions, especially conv3x3.',
  'add-dense':
    'Add the cell\'s equivalent of a fully connected layer: a conv1x1 (a dense layer applied at every pixel) on one edge.',
  'add-conv': 'Add a convolution: put conv3x3 or conv1x1 on one edge.',
  'add-pooling': 'Add a pooling layer: put avgpool on one edge.',
  'add-residual': 'Add a residual connection: put skip on an edge that bypasses other operations, e.g. node0 to node3.',
  'add-residuals': 'Add several residual connections: put skip on two or more edges.',
  'add-dropout':
    'The cell has no dropout; regularise it the way dropout would, by removing one redundant parallel edge (set it to none).',
  'add-normalisation':
    'Every convolution here is ReLU-conv-BatchNorm; add normalisation by turning a skip or avgpool edge into conv1x1.',
  'increase-width': 'Increase the width of the cell: give a node more parallel inputs (more terms in its sum).',
  'decrease-width': 'Decrease the width of the cell: give a node fewer parallel inputs (fewer terms in its sum).',
  'increase-depth':
    'Increase the depth of the cell: lengthen the longest chain of operations from node0 through node1 and node2 to node3.',
  'decrease-depth': 'Decrease the depth of the cell: shorten the longest chain of operations, e.g. connect node0 directly to node3.',
};

/** The mutation instructions of the NAS-Bench-201 space. */
export const CELL_MUTATIONS: readonly MutationInstruction[] = DEFAULT_MUTATIONS.map((m) => ({
  ...m,
  text: CELL_MUTATION_TEXT[m.name] ?? m.text,
}));

export const CELL_CROSSOVER_INSTRUCTION =
  'Combine the two cells above into a new cell that performs better than both, taking edges from each.';

export const CELL_RANDOM_GENERATION_INSTRUCTION =
  'Create a cell that inherits from the cell above and performs better than it.';

/** Facts of the fixed network around the cell, for `dataset`. */
function networkFacts(dataset: Nb201Dataset): string {
  const f = DATASET_FACTS[dataset];
  return `The network around the cell is fixed: a 3x3 convolution stem with 16 channels, three stages of five copies of the cell (16, 32 and 64 channels; a residual block halves the resolution between stages), global average pooling and a linear classifier. It classifies ${f.size}x${f.size} RGB images of ${f.label} into ${f.classes} classes. Only the cell changes.`;
}

const LANGUAGE_RULES = `Rules of the cell language:
- node0 is the cell input and node3 is the cell output. Write exactly one line for each of node1, node2 and node3.
- A line sums terms op(nodeJ), where nodeJ is an earlier node (node2 may use node0 and node1), each at most once.
- Operations (every one keeps the channels and the resolution):
  conv3x3: ReLU, 3x3 convolution, batch normalisation
  conv1x1: ReLU, 1x1 convolution, batch normalisation
  avgpool: 3x3 average pooling, stride 1
  skip: identity (a residual connection)
  none: no connection, the same as leaving the term out. A node with no input outputs zeros; write it as none(node0).
- Nothing else can be set: no widths, kernel sizes, dropout or extra layers beyond these operations on the six edges.`;

/**
 * Prompt templates of the NAS-Bench-201 space for `dataset`: a system message stating the
 * contract, chat and completion forms of mutation and crossover.
 */
export function nasBench201Prompts(dataset: Nb201Dataset): PromptTemplates {
  const facts = networkFacts(dataset);
  const label = DATASET_FACTS[dataset].label;
  const preamble = `NAS-Bench-201 cells for ${label}. A cell is a small program: node0 is the input, node3 the output, and each line defines a node as a sum of op(nodeJ) over earlier nodes. Operations: conv3x3, conv1x1, avgpool, skip, none (a term left out is none).`;
  return {
    system: `You are an expert in neural architecture search. You design cells for the NAS-Bench-201 benchmark on ${label}.

${facts}

A cell is written in this small language:

\`\`\`python
${EXAMPLE_CELL}
\`\`\`

${LANGUAGE_RULES}

Reply with the complete new cell (the lines for node1, node2 and node3) in one \`\`\`python code block. You may explain briefly before the block; write nothing after it.`,
    mutation: {
      chat: `Current cell:

\`\`\`python
{{code}}
\`\`\`

Task: {{instruction}}

Reply with the complete new cell in one \`\`\`python code block.`,
      completion: `${preamble}

Cell:
\`\`\`python
{{code}}
\`\`\`

Task: {{instruction}}

New cell:
\`\`\`python
`,
    },
    crossover: {
      chat: `Cell A:

\`\`\`python
{{code_a}}
\`\`\`

Cell B:

\`\`\`python
{{code_b}}
\`\`\`

Task: {{instruction}}

Reply with the complete new cell in one \`\`\`python code block.`,
      completion: `${preamble}

Cell A:
\`\`\`python
{{code_a}}
\`\`\`

Cell B:
\`\`\`python
{{code_b}}
\`\`\`

Task: {{instruction}}

New cell:
\`\`\`python
`,
    },
    mutations: CELL_MUTATIONS,
    crossoverInstruction: CELL_CROSSOVER_INSTRUCTION,
    randomGenerationInstruction: CELL_RANDOM_GENERATION_INSTRUCTION,
    stop: ['```'],
  };
}
