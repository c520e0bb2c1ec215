/**
 * A protocol-level OpenAI-compatible test double: a real HTTP server on 127.0.0.1 (random port)
 * that speaks enough of the OpenAI REST API for the official `openai` client (and so stands in
 * for vLLM, llama.cpp server and LM Studio too).
 *
 * Endpoints (under `/v1`): `POST /chat/completions`, `POST /completions` (JSON, or SSE streaming
 * with `data: {...}` chunks, a usage chunk with empty `choices` when
 * `stream_options.include_usage` is set, and a closing `data: [DONE]`), `GET /models` (switch it
 * off with `listModels: false` to imitate servers without it). Unknown models get OpenAI's 404
 * `model_not_found` error; with `apiKey` set, a wrong or missing bearer key gets 401
 * `invalid_api_key`. Like OpenAI and vLLM, `/completions` stops after 16 tokens when the request
 * has no `max_tokens`.
 *
 * Usage:
 * ```ts
 * const server = await startOpenAIServer({ models: ['gpt-4o-mini'], reply: (r) => 'hi' });
 * const provider = openai({ baseURL: server.url, apiKey: 'sk-test', model: 'gpt-4o-mini' });
 * server.fail({ type: 'status', status: 429, retryAfter: 1 }, { type: 'status', status: 500 });
 * ...; server.generations()[0].body; server.maxInFlight; await server.close();
 * ```
 * The reply function receives a protocol-neutral {@link ReplyRequest} (maxTokens is
 * `max_completion_tokens ?? max_tokens`) and returns the full reply; the double applies `stop`
 * and the token limit, and reports usage with the toy tokenizer of `llm-double.ts`.
 * Scripted faults (see {@link Fault}) apply to chat/completion requests in order.
 */
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
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

export interface OpenAIDoubleOptions {
  /** Models the server serves (default `['gpt-4o-mini']`). */
  models?: string[];
  /** Reply function (default: echoes the last message or the prompt). */
  reply?: ReplyFn;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Serve `GET /v1/models` (default true). */
  listModels?: boolean;
  /** Port to listen on (default 0: any free port); set it to restart a double on the port a client already knows. */
  port?: number;
}

const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

function apiError(res: ServerResponse, status: number, message: string, type: string, code: string | null, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}

function sse(res: ServerResponse, data: unknown): void {
  res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

/** Starts the OpenAI-compatible double. Close it with `close()` when done. */
export async function startOpenAIServer(options: OpenAIDoubleOptions = {}): Promise<LLMDouble> {
  const models = new Set(options.models ?? ['gpt-4o-mini']);
  const listModels = options.listModels ?? true;
  const core = new DoubleCore(options.reply ?? echoReply);

  async function generation(res: ServerResponse, kind: ReplyRequest['kind'], body: Record<string, unknown>, fault: Fault | undefined): Promise<void> {
    const model = String(body.model ?? '');
    const stream = body.stream === true;
    const includeUsage = asRecord(body.stream_options).include_usage === true;
    const requestedMax = asNumber(body.max_completion_tokens) ?? asNumber(body.max_tokens);
    const request: ReplyRequest = {
      kind,
      protocol: 'openai',
      model,
      ...(kind === 'chat' ? { messages: asMessages(body.messages) ?? [] } : { prompt: String(body.prompt ?? '') }),
      temperature: asNumber(body.temperature),
      maxTokens: requestedMax,
      stop: asStops(body.stop),
      seed: asNumber(body.seed),
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
      const type = fault.status === 429 ? 'rate_limit_exceeded' : fault.status >= 500 ? 'server_error' : 'invalid_request_error';
      apiError(res, fault.status, fault.message ?? `scripted failure ${fault.status}`, type, fault.code ?? null, headers);
      return;
    }
    if (!models.has(model)) {
      apiError(res, 404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
      return;
    }
    core.track(res);
    if (fault?.type === 'delay' && !(await waitOrClose(res, fault.ms))) return;

    const full = await core.reply(request);
    const limit = requestedMax ?? (kind === 'completion' ? COMPLETIONS_DEFAULT_MAX_TOKENS : undefined);
    const shaped = shapeReply(full, request.stop, limit);
    const prompt = promptTokens(request);
    const usage = { prompt_tokens: prompt, completion_tokens: shaped.tokens.length, total_tokens: prompt + shaped.tokens.length };
    const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const object = kind === 'chat' ? 'chat.completion' : 'text_completion';

    if (!stream) {
      const choice =
        kind === 'chat'
          ? { index: 0, message: { role: 'assistant', content: shaped.text, refusal: null }, logprobs: null, finish_reason: shaped.finishReason }
          : { index: 0, text: shaped.text, logprobs: null, finish_reason: shaped.finishReason };
      const payload = { id, object, created, model, choices: [choice], usage };
      if (fault?.type === 'drop') dropAfter(res, 200, 'application/json', JSON.stringify(payload).slice(0, 20));
      else sendJson(res, 200, payload);
      return;
    }

    const chunkObject = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    const chunk = (text: string | null, finish: string | null, first = false): Record<string, unknown> => ({
      id,
      object: chunkObject,
      created,
      model,
      choices: [
        kind === 'chat'
          ? { index: 0, delta: text === null ? {} : first ? { role: 'assistant', content: text } : { content: text }, logprobs: null, finish_reason: finish }
          : { index: 0, text: text ?? '', logprobs: null, finish_reason: finish },
      ],
      ...(includeUsage ? { usage: null } : {}),
    });
    if (fault?.type === 'drop') {
      dropAfter(res, 200, 'text/event-stream', `data: ${JSON.stringify(chunk(shaped.tokens[0] ?? '', null, true))}\n\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    if (kind === 'chat') sse(res, chunk('', null, true));
    for (const token of shaped.tokens) sse(res, chunk(token, null));
    sse(res, chunk(kind === 'chat' ? null : '', shaped.finishReason));
    if (includeUsage) sse(res, { id, object: chunkObject, created, model, choices: [], usage });
    sse(res, '[DONE]');
    res.end();
  }

  const server = await listen(async (req, res, path, rawBody) => {
    const record = core.record(req, path, rawBody);
    const body = asRecord(rawBody);
    const method = req.method ?? 'GET';
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      apiError(res, 401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key');
      return;
    }
    if (method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/completions')) {
      const fault = core.takeFault(record);
      await generation(res, path === '/v1/chat/completions' ? 'chat' : 'completion', body, fault);
      return;
    }
    if (method === 'GET' && path === '/v1/models' && listModels) {
      sendJson(res, 200, {
        object: 'list',
        data: [...models].map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'double' })),
      });
      return;
    }
    apiError(res, 404, `Unknown request URL: ${method} ${path}.`, 'invalid_request_error', 'unknown_url');
  }, options.port);

  return {
    url: `${server.origin}/v1`,
    requests: core.requests,
    generations: () => core.requests.filter((r) => r.path === '/v1/chat/completions' || r.path === '/v1/completions'),
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
