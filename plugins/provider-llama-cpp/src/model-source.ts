import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LLMError } from '@llmatic/core';
import { resolveModelFile } from 'node-llama-cpp';
import { DownloadProgress } from './download-progress.js';

/** Where a model comes from: a file on disk, or a URI downloaded into the cache. */
export type ModelSource = { kind: 'file'; path: string } | { kind: 'uri'; uri: string; fileName?: string };

// The URI schemes node-llama-cpp's downloader understands.
const URI_PATTERN = /^(hf:|huggingface:|hf\.co\/|huggingface\.co\/|https?:\/\/)/i;

/** Tells a local path from a model URI. Relative paths resolve against the working directory. */
export function parseModelSource(model: string): ModelSource {
  if (/^file:\/\//i.test(model)) return { kind: 'file', path: fileURLToPath(model) };
  if (!URI_PATTERN.test(model)) return { kind: 'file', path: resolve(model) };
  if (/^https?:\/\//i.test(model)) {
    // node-llama-cpp finds a cached plain URL only by an explicit file name, so name it after the
    // URL's last path segment; hf: URIs carry their own cache file names.
    const url = new URL(model);
    const name = decodeURIComponent(basename(url.pathname));
    if (name.toLowerCase().endsWith('.gguf')) return { kind: 'uri', uri: model, fileName: name };
  }
  return { kind: 'uri', uri: model };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch wraps the network reason (ECONNREFUSED, ENOTFOUND, ...) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** The server a URI is downloaded from, as node-llama-cpp resolves it. */
function downloadHost(uri: string): string {
  if (/^https?:\/\//i.test(uri)) return uri;
  const endpoint = [process.env.MODEL_ENDPOINT, process.env.HF_ENDPOINT].find((e) => e && /^https?:\/\//i.test(e));
  return endpoint ?? 'https://huggingface.co/';
}

/**
 * Fails fast when the download server cannot be reached. node-llama-cpp's downloader retries a
 * failing connection for many minutes, which on a machine without internet looks like a hang.
 * Any HTTP answer (even an error status) means the network works; the downloader takes over.
 */
async function probe(url: string, timeoutMs: number): Promise<void> {
  const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
}

/** Options of {@link locateModel}. */
export interface LocateModelOptions {
  cacheDir: string;
  progress: boolean;
  /** How long to wait for the download server to answer at all. */
  connectTimeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Returns the path of the model's GGUF file. A URI is looked up in the cache first and
 * downloaded (with a progress bar on stderr) only when it is not there. A missing local file, or
 * a URI that is neither cached nor downloadable, is a fatal `model-missing` {@link LLMError}.
 */
export async function locateModel(model: string, options: LocateModelOptions): Promise<string> {
  const source = parseModelSource(model);
  if (source.kind === 'file') {
    if (await isFile(source.path)) return source.path;
    throw new LLMError(
      `llama.cpp model file not found at ${source.path}. Set \`model\` to the path of a GGUF file, ` +
        `or to a model URI (hf:<user>/<repo>/<file>.gguf or an https:// URL) to download it into ${options.cacheDir}.`,
      'model-missing',
      true,
    );
  }

  const lookup = { directory: options.cacheDir, cli: false, ...(source.fileName ? { fileName: source.fileName } : {}) };
  try {
    return await resolveModelFile(source.uri, { ...lookup, download: false });
  } catch {
    // Not cached yet: download it below.
  }

  const progress = new DownloadProgress(source.uri, options.cacheDir, options.progress);
  try {
    await probe(downloadHost(source.uri), options.connectTimeoutMs);
    const path = await resolveModelFile(source.uri, {
      ...lookup,
      download: 'auto',
      onProgress: (status) => progress.update(status.downloadedSize, status.totalSize),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    progress.finish(path);
    return path;
  } catch (error) {
    progress.fail();
    if (options.signal?.aborted) throw new LLMError(`Download of ${source.uri} was cancelled.`, 'aborted', false, { cause: error });
    throw new LLMError(
      `llama.cpp model ${source.uri} is not in the cache at ${options.cacheDir} and could not be downloaded ` +
        `(${describe(error)}). Run once on a machine with internet access to download it into ${options.cacheDir} ` +
        `(or copy the .gguf file there), or set \`model\` to the path of a local GGUF file.`,
      'model-missing',
      true,
      { cause: error },
    );
  }
}
