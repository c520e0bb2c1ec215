export {
  llamaCpp,
  LlamaCppProvider,
  type LlamaCppGenerateResult,
  type LlamaCppInfo,
  type LlamaCppStatus,
} from './llama-cpp-provider.js';
export { defaultCacheDir, type LlamaCppOptions } from './options.js';
export { parseModelSource, type ModelSource } from './model-source.js';
