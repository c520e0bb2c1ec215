export { openai } from './provider.js';
export { OPENAI_API_URL, PLACEHOLDER_API_KEY, type OpenAIProviderOptions } from './options.js';
