export { naswot, type LayersModelSpec } from './naswot-evaluator.js';
export type { NaswotOptions } from './options.js';
export { mnistMinibatch, type Minibatch } from './minibatch.js';
export { signedLogDeterminant, type SignedLogDeterminant } from './log-determinant.js';
export { naswotKernel, reluLayers } from './activation-codes.js';
export { seedInitializers } from './seed-initializers.js';
