/**
 * Shared machinery of the protocol-level LLM test doubles (`ollama-server.ts`,
 * `openai-server.ts`): the reply contract, scripted faults, request recording, the toy
 * tokenizer that makes usage counts and `maxTokens` truncation deterministic, and a tiny
 * node:http server wrapper bound to 127.0.0.1 on a free port.
 *
 * Token model: a token is one run of non-space characters plus the whitespace after it
 * (`/\S+\s*|\s+/g`). Prompt tokens are the tokens of the prompt, or of every message's content
 * plus one per message for the role. Completion tokens are the tokens of the (truncated) reply.
 * Streaming sends one chunk per token.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One chat message as the double hands it to the reply function. */
export interface DoubleMessage {
  role: string;
  content: string;
}

/** A generation request, normalised across both wire protocols. */
export interface ReplyRequest {
  /** `chat` (messages) or `completion` (prompt). */
  kind: 'chat' | 'completion';
  /** Which wire protocol carried it. */
  protocol: 'ollama' | 'openai';
  model: string;
  messages?: DoubleMessage[];
  prompt?: string;
  temperature?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  stream: boolean;
  /** The raw JSON body as received. */
  body: Record<string, unknown>;
}

/** Answers a generation request with the full reply text (before stop/maxTokens truncation). */
export type ReplyFn = (request: ReplyRequest) => string | Promise<string>;

/**
 * A scripted fault, consumed by the next generation request (chat or completion) in order.
 * - `delay`: wait `ms` before answering normally (answers never come if the client gives up first).
 * - `status`: answer with this HTTP status and a protocol-shaped error body; `retryAfter` sets the
 *   `Retry-After` header (seconds, or an HTTP date string); `code` sets the OpenAI error code
 *   (e.g. `insufficient_quota`; the Ollama double has no error codes).
 * - `drop`: destroy the socket. By default before any byte of the response; with `midStream`,
 *   after the headers and the first chunk of a (streamed or not) response.
 */
export type Fault =
  | { type: 'delay'; ms: number }
  | { type: 'status'; status: number; retryAfter?: number | string; message?: string; code?: string }
  | { type: 'drop'; midStream?: boolean };

/** One HTTP request as the double received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (`undefined` for empty bodies). */
  body: unknown;
  /** The fault applied to it, if any. */
  fault?: Fault;
  /** `Date.now()` when it arrived. */
  receivedAt: number;
}

/** What both `start...Server` functions return. */
export interface LLMDouble {
  /** Base URL (`http://127.0.0.1:<port>` for Ollama, `.../v1` for OpenAI). */
  url: string;
  /** Every request received, in arrival order (live array). */
  requests: RecordedRequest[];
  /** Generation requests only (chat and completion), in arrival order. */
  generations(): RecordedRequest[];
  /** Queue faults; each later generation request consumes one. */
  fail(...faults: Fault[]): void;
  /** Replace the reply function. */
  setReply(reply: ReplyFn): void;
  /** Generation requests being answered right now. */
  readonly inFlight: number;
  /** The most generation requests ever answered at once. */
  readonly maxInFlight: number;
  /** Stops listening and destroys open sockets. */
  close(): Promise<void>;
}

const TOKEN = /\S+\s*|\s+/g;

/** Splits text into the double's toy tokens. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Prompt-token count of a request (see the token model at the top of this file). */
export function promptTokens(request: Pick<ReplyRequest, 'messages' | 'prompt'>): number {
  if (request.messages) {
    return request.messages.reduce((sum, m) => sum + 1 + tokenize(m.content).length, 0);
  }
  return tokenize(request.prompt ?? '').length;
}

/** The reply as a real server would return it: cut before the first stop string, then at maxTokens. */
export interface ShapedReply {
  tokens: string[];
  text: string;
  finishReason: 'stop' | 'length';
}

export function shapeReply(full: string, stop: string[] | undefined, maxTokens: number | undefined): ShapedReply {
  let text = full;
  for (const s of stop ?? []) {
    if (s === '') continue;
    const at = text.indexOf(s);
    if (at >= 0) text = text.slice(0, at);
  }
  let tokens = tokenize(text);
  let finishReason: ShapedReply['finishReason'] = 'stop';
  if (maxTokens !== undefined && maxTokens >= 0 && tokens.length > maxTokens) {
    tokens = tokens.slice(0, maxTokens);
    finishReason = 'length';
  }
  return { tokens, text: tokens.join(''), finishReason };
}

/** Default reply: echoes the last user message or the prompt. */
export const echoReply: ReplyFn = (request) => {
  const last = request.messages?.at(-1)?.content ?? request.prompt ?? '';
  return `echo: ${last}`;
};

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Resolves after `ms`, or early (false) when the client goes away. */
export function waitOrClose(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    res.once('close', onClose);
  });
}

/** Writes `first`, then destroys the socket: a connection dropped mid-response. */
export function dropAfter(res: ServerResponse, status: number, contentType: string, first: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.write(first, () => {
    setTimeout(() => res.socket?.destroy(), 5);
  });
}

/** State and plumbing shared by both doubles; each protocol supplies `route`. */
export class DoubleCore {
  readonly requests: RecordedRequest[] = [];
  private readonly faults: Fault[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(public reply: ReplyFn) {}

  record(req: IncomingMessage, path: string, body: unknown): RecordedRequest {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
    };
    this.requests.push(record);
    return record;
  }

  queue(faults: Fault[]): void {
    this.faults.push(...faults);
  }

  takeFault(record: RecordedRequest): Fault | undefined {
    const fault = this.faults.shift();
    if (fault) record.fault = fault;
    return fault;
  }

  /** Counts a generation in flight until the response closes. */
  track(res: ServerResponse): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.once('close', () => {
      this.inFlight--;
    });
  }
}

export type Route = (req: IncomingMessage, res: ServerResponse, path: string, body: unknown) => Promise<void>;

/** Starts a node:http server on 127.0.0.1 (`port`, default 0 = any free port) running `route`; returns its base URL and a closer. */
export async function listen(route: Route, port = 0): Promise<{ origin: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    readJson(req)
      .then((body) => route(req, res, path, body))
      .catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
        else res.destroy();
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asStops(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string');
  return undefined;
}

export function asMessages(value: unknown): DoubleMessage[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((m) => {
    const r = asRecord(m);
    return { role: String(r.role ?? 'user'), content: typeof r.content === 'string' ? r.content : JSON.stringify(r.content ?? '') };
  });
}
