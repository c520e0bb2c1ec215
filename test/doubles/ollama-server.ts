/**
 * A protocol-level Ollama test double: a real HTTP server on 127.0.0.1 (random port) that
 * speaks enough of the Ollama REST API for the official `ollama` client.
 *
 * Endpoints: `POST /api/chat`, `POST /api/generate` (JSON or NDJSON streaming, `stream`
 * defaults to true as on the real server; an empty generate prompt loads/unloads the model),
 * `GET /api/tags`, `POST /api/show`, `GET /api/version`, `GET /` ("Ollama is running").
 * Unknown models get the real server's 404 `{"error":"model \"x\" not found, try pulling it first"}`.
 * Model names match with or without the `:latest` tag.
 *
 * Usage:
 * ```ts
 * const server = await startOllamaServer({ models: ['llama3.2'], reply: (r) => 'hi' });
 * const provider = ollama({ host: server.url, model: 'llama3.2' });
 * server.fail({ type: 'status', status: 429, retryAfter: 1 }, { type: 'drop' });
 * ...; server.generations()[0].body; server.maxInFlight; await server.close();
 * ```
 * The reply function receives a {@link ReplyRequest} (protocol-neutral: kind, model, messages or
 * prompt, temperature, maxTokens = `options.num_predict`, stop, seed, stream, raw body) and returns
 * the full reply; the double then applies `stop` and `num_predict` like the real server, and
 * reports `prompt_eval_count` / `eval_count` with the toy tokenizer of `llm-double.ts`.
 * Scripted faults (see {@link Fault}) apply to chat/generate requests in order.
 */
import type { ServerResponse } from 'node:http';
import {
  DoubleCore,
  asMessages,
  asNumber,
  asRecord,
  asStops,
  dropAfter,
  echoReply,
  listen,
  promptTokens,
  sendJson,
  shapeReply,
  waitOrClose,
  type Fault,
  type LLMDouble,
  type ReplyFn,
  type ReplyRequest,
} from './llm-double.js';

export type { Fault, LLMDouble, RecordedRequest, ReplyFn, ReplyRequest } from './llm-double.js';

export interface OllamaDoubleOptions {
  /** Models the server has pulled (default `['llama3.2:latest']`). */
  models?: string[];
  /** Reply function (default: echoes the last message or the prompt). */
  reply?: ReplyFn;
  /** Port to listen on (default 0: any free port); set it to restart a double on the port a client already knows. */
  port?: number;
}

function fullName(model: string): string {
  return model.includes(':') ? model : `${model}:latest`;
}

function notFound(res: ServerResponse, model: string): void {
  sendJson(res, 404, { error: `model "${model}" not found, try pulling it first` });
}

function timings(promptCount: number, evalCount: number): Record<string, number> {
  return {
    total_duration: 1_000_000,
    load_duration: 100_000,
    prompt_eval_count: promptCount,
    prompt_eval_duration: 200_000,
    eval_count: evalCount,
    eval_duration: 700_000,
  };
}

/** Starts the Ollama double. Close it with `close()` when done. */
export async function startOllamaServer(options: OllamaDoubleOptions = {}): Promise<LLMDouble> {
  const models = new Set((options.models ?? ['llama3.2:latest']).map(fullName));
  const core = new DoubleCore(options.reply ?? echoReply);

  const modelEntry = (name: string): Record<string, unknown> => ({
    name,
    model: name,
    modified_at: '2025-01-01T00:00:00Z',
    size: 2_019_393_189,
    digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'llama',
      families: ['llama'],
      parameter_size: '3.2B',
      quantization_level: 'Q4_K_M',
    },
  });

  async function generation(res: ServerResponse, kind: ReplyRequest['kind'], body: Record<string, unknown>, fault: Fault | undefined): Promise<void> {
    const model = String(body.model ?? '');
    const opts = asRecord(body.options);
    const stream = body.stream !== false;
    const request: ReplyRequest = {
      kind,
      protocol: 'ollama',
      model,
      ...(kind === 'chat' ? { messages: asMessages(body.messages) ?? [] } : { prompt: String(body.prompt ?? '') }),
      temperature: asNumber(opts.temperature),
      maxTokens: asNumber(opts.num_predict),
      stop: asStops(opts.stop),
      seed: asNumber(opts.seed),
      stream,
      body,
    };

    if (fault?.type === 'drop' && !fault.midStream) {
      res.socket?.destroy();
      return;
    }
    if (fault?.type === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      sendJson(res, fault.status, { error: fault.message ?? `scripted failure ${fault.status}` }, headers);
      return;
    }
    if (!models.has(fullName(model))) {
      notFound(res, model);
      return;
    }
    core.track(res);
    if (fault?.type === 'delay' && !(await waitOrClose(res, fault.ms))) return;

    const createdAt = new Date().toISOString();
    // An empty generate prompt only loads (or with keep_alive 0, unloads) the model.
    if (kind === 'completion' && request.prompt === '') {
      const unload = body.keep_alive === 0 || body.keep_alive === '0';
      const done = { model, created_at: createdAt, response: '', done: true, done_reason: unload ? 'unload' : 'load' };
      if (stream) {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.end(`${JSON.stringify(done)}\n`);
      } else sendJson(res, 200, done);
      return;
    }

    const full = await core.reply(request);
    const shaped = shapeReply(full, request.stop, request.maxTokens);
    const counts = timings(promptTokens(request), shaped.tokens.length);
    const piece = (text: string): Record<string, unknown> =>
      kind === 'chat' ? { message: { role: 'assistant', content: text } } : { response: text };

    if (fault?.type === 'drop') {
      const first = stream
        ? `${JSON.stringify({ model, created_at: createdAt, ...piece(shaped.tokens[0] ?? ''), done: false })}\n`
        : JSON.stringify({ model, created_at: createdAt, ...piece(shaped.text) }).slice(0, 20);
      dropAfter(res, 200, stream ? 'application/x-ndjson' : 'application/json; charset=utf-8', first);
      return;
    }

    const final = {
      model,
      created_at: createdAt,
      ...piece(stream ? '' : shaped.text),
      done: true,
      done_reason: shaped.finishReason,
      ...(kind === 'completion' ? { context: [1, 2, 3] } : {}),
      ...counts,
    };
    if (!stream) {
      sendJson(res, 200, final);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const token of shaped.tokens) {
      res.write(`${JSON.stringify({ model, created_at: createdAt, ...piece(token), done: false })}\n`);
    }
    res.end(`${JSON.stringify(final)}\n`);
  }

  const server = await listen(async (req, res, path, rawBody) => {
    const record = core.record(req, path, rawBody);
    const body = asRecord(rawBody);
    const method = req.method ?? 'GET';
    if (method === 'POST' && (path === '/api/chat' || path === '/api/generate')) {
      const fault = core.takeFault(record);
      await generation(res, path === '/api/chat' ? 'chat' : 'completion', body, fault);
      return;
    }
    if (method === 'GET' && path === '/api/tags') {
      sendJson(res, 200, { models: [...models].map(modelEntry) });
      return;
    }
    if (method === 'POST' && path === '/api/show') {
      const model = String(body.model ?? body.name ?? '');
      if (!models.has(fullName(model))) {
        sendJson(res, 404, { error: `model '${model}' not found` });
        return;
      }
      sendJson(res, 200, {
        license: '',
        modelfile: `FROM ${model}`,
        parameters: 'stop "<|eot_id|>"',
        template: '{{ .Prompt }}',
        details: modelEntry(fullName(model)).details,
        model_info: { 'general.architecture': 'llama', 'llama.context_length': 131072 },
        capabilities: ['completion'],
        modified_at: '2025-01-01T00:00:00Z',
      });
      return;
    }
    if (method === 'GET' && path === '/api/version') {
      sendJson(res, 200, { version: '0.12.0' });
      return;
    }
    if (method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Ollama is running');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found');
  }, options.port);

  return {
    url: server.origin,
    requests: core.requests,
    generations: () => core.requests.filter((r) => r.path === '/api/chat' || r.path === '/api/generate'),
    fail: (...faults) => core.queue(faults),
    setReply: (reply) => {
      core.reply = reply;
    },
    get inFlight() {
      return core.inFlight;
    },
    get maxInFlight() {
      return core.maxInFlight;
    },
    close: () => server.close(),
  };
}
