/** A mutation instruction: the paper's prompt individuals refer to these by `id`. */
export interface MutationInstruction {
  id: number;
  /** Short machine name, e.g. `add-layer`. */
  name: string;
  /** Text inserted as {{instruction}}. */
  text: string;
}

/** One template in chat form (system + user) and in completion form. */
export interface TemplatePair {
  /** User message of the chat form. */
  chat: string;
  /** Whole prompt of the completion form; the model continues it. */
  completion: string;
}

/**
 * Prompt templates are data. Placeholders: `{{code}}` (the parent), `{{instruction}}`,
 * `{{code_a}}` / `{{code_b}}` (crossover parents).
 */
export interface PromptTemplates {
  /** System message of the chat form: states the contract (input, classes, what to return). */
  system: string;
  mutation: TemplatePair;
  crossover: TemplatePair;
  mutations: readonly MutationInstruction[];
  /** The fixed crossover instruction. */
  crossoverInstruction: string;
  /** The instruction of the random-generation ablation. */
  randomGenerationInstruction: string;
  /** Stop sequences for the completion form. */
  stop?: string[];
}

/** The paper's sixteen generic mutation instructions, in our words. */
export const DEFAULT_MUTATIONS: readonly MutationInstruction[] = [
  { id: 0, name: 'add-layer', text: 'Add a layer to the network.' },
  { id: 1, name: 'delete-layer', text: 'Delete a layer from the network.' },
  { id: 2, name: 'improve', text: 'Improve the network so that it reaches a higher accuracy.' },
  {
    id: 3,
    name: 'improve-smaller',
    text: 'Improve the network while drastically reducing its size.',
  },
  {
    id: 4,
    name: 'improve-larger',
    text: 'Improve the network while drastically increasing its size.',
  },
  { id: 5, name: 'add-dense', text: 'Add a fully connected layer to the network.' },
  { id: 6, name: 'add-conv', text: 'Add a convolutional layer to the network.' },
  { id: 7, name: 'add-pooling', text: 'Add a pooling layer to the network.' },
  { id: 8, name: 'add-residual', text: 'Add a residual connection to the network.' },
  { id: 9, name: 'add-residuals', text: 'Add several residual connections to the network.' },
  { id: 10, name: 'add-dropout', text: 'Add dropout to the network.' },
  { id: 11, name: 'add-normalisation', text: 'Add normalisation layers to the network.' },
  { id: 12, name: 'increase-width', text: 'Increase the width of the network.' },
  { id: 13, name: 'decrease-width', text: 'Decrease the width of the network.' },
  { id: 14, name: 'increase-depth', text: 'Increase the depth of the network.' },
  { id: 15, name: 'decrease-depth', text: 'Decrease the depth of the network.' },
];

export const DEFAULT_CROSSOVER_INSTRUCTION =
  'Combine the two networks above into a new network that performs better than both.';

export const DEFAULT_RANDOM_GENERATION_INSTRUCTION =
  'Create a network that inherits from the network above and performs better than it.';
