import { DEFAULT_OLLAMA_HOST } from './options.js';

/**
 * Whether an Ollama server answers at `host` (default: env `OLLAMA_HOST`, else the local default)
 * within `timeoutMs`. For configs that fall back to another provider when no server runs.
 */
export async function ollamaReachable(host = process.env.OLLAMA_HOST ?? DEFAULT_OLLAMA_HOST, timeoutMs = 1500): Promise<boolean> {
  const base = /^https?:\/\//.test(host) ? host : `http://${host}`;
  try {
    const response = await fetch(new URL('/api/version', base), { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}
