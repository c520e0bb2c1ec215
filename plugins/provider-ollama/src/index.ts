export { ollama } from './provider.js';
export { DEFAULT_OLLAMA_HOST, type OllamaProviderOptions } from './options.js';
export { ollamaReachable } from './reachable.js';
