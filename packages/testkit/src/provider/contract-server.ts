import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractHttpRequest, ContractHttpResponse } from './options.js';

/** How the server treats every request until told otherwise. */
export type ServerBehaviour =
  | { kind: 'answer'; respond: (request: ContractHttpRequest) => ContractHttpResponse }
  | { kind: 'status'; status: number }
  | { kind: 'drop' }
  | { kind: 'hang' };

/**
 * A misbehaving HTTP server on 127.0.0.1 (any free port): it answers well, answers an error
 * status, drops the connection, or never answers, as the check in progress needs. Error bodies
 * carry both common shapes (`{ error: { message, type, code } }` is OpenAI's; Ollama's clients
 * read `error` too).
 */
export interface ContractServer {
  readonly baseURL: string;
  behave(behaviour: ServerBehaviour): void;
  /** Every request received, in order. */
  readonly requests: ContractHttpRequest[];
  /** Resolves when a request arrives (the next one, or any since the last call). */
  nextRequest(): Promise<ContractHttpRequest>;
  close(): Promise<void>;
}

async function readRequest(req: IncomingMessage): Promise<ContractHttpRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
  return { method: req.method ?? 'GET', path: req.url ?? '/', headers, body };
}

function send(res: ServerResponse, answer: ContractHttpResponse): void {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  const json = typeof answer.body !== 'string';
  res.writeHead(answer.status ?? 200, { ...(json ? { 'content-type': 'application/json' } : {}), ...answer.headers });
  res.end(text);
}

const errorBody = (status: number) => ({
  error: { message: `@llmatic/testkit: scripted HTTP ${status}`, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null },
});

export async function startContractServer(): Promise<ContractServer> {
  let behaviour: ServerBehaviour = { kind: 'status', status: 500 };
  const requests: ContractHttpRequest[] = [];
  let seen = 0;
  const waiting: ((request: ContractHttpRequest) => void)[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    void readRequest(req).then((request) => {
      requests.push(request);
      for (const wake of waiting.splice(0)) wake(request);
      if (behaviour.kind === 'answer') send(res, behaviour.respond(request));
      else if (behaviour.kind === 'status') send(res, { status: behaviour.status, headers: { 'retry-after': '0' }, body: errorBody(behaviour.status) });
      else if (behaviour.kind === 'drop') res.socket?.destroy();
      else hanging.add(res);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    behave(next) {
      behaviour = next;
    },
    nextRequest() {
      const pending = requests[seen];
      if (pending) {
        seen = requests.length;
        return Promise.resolve(pending);
      }
      return new Promise((done) =>
        waiting.push((request) => {
          seen = requests.length;
          done(request);
        }),
      );
    },
    async close() {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** A base URL on which nothing listens: a server's port, after the server closed. */
export async function refusingBaseURL(): Promise<string> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}`;
}
