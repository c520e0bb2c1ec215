import { LLMError, type GenerateRequest, type LLMErrorKind, type LLMProvider } from '@llmatic/core';
import type { ContractCheck } from '../check.js';
import { ContractViolation, describeError, expectContract } from '../contract-violation.js';
import { settleWithin } from '../settle.js';
import { refusingBaseURL, startContractServer, type ContractServer } from './contract-server.js';
import type { ContractReply, ProviderContractOptions } from './options.js';

const DEFAULT_ABORT_WITHIN_MS = 10_000;

function request(options: ProviderContractOptions, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  const form = options.form === 'prompt' ? { prompt: 'Write a network.\n' } : { messages: [{ role: 'user' as const, content: 'Write a network.' }] };
  return { ...form, temperature: 0.5, maxTokens: 64, ...extra };
}

/** Runs `body` against a fresh server and provider; closes both. A `close()` that rejects breaks the contract. */
async function withProvider(options: ProviderContractOptions, body: (provider: LLMProvider, server: ContractServer) => Promise<void>): Promise<void> {
  const server = await startContractServer();
  let failed = false;
  try {
    const provider = options.create({ baseURL: server.baseURL });
    try {
      await body(provider, server);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      await provider.close?.().catch((error: unknown) => {
        if (!failed) throw new ContractViolation(`close() rejected (${describeError(error)}); close() must free sockets and resolve`);
      });
    }
  } finally {
    await server.close();
  }
}

/** The rejection of `promise`, which must be an {@link LLMError}. */
async function llmErrorOf(promise: Promise<unknown>, what: string): Promise<LLMError> {
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new ContractViolation(`${what}: generate() resolved; it must reject with an LLMError`);
  expectContract(
    outcome.error instanceof LLMError,
    `${what}: generate() rejected with ${describeError(outcome.error)}; map every failure to an LLMError (from @llmatic/core) so the loop knows whether to stop or go on`,
  );
  return outcome.error;
}

function expectKind(error: LLMError, kinds: readonly LLMErrorKind[], what: string, fatal?: boolean): void {
  expectContract(kinds.includes(error.kind), `${what} gave LLMError kind '${error.kind}' ("${error.message}"); it must be ${kinds.map((k) => `'${k}'`).join(' or ')}`);
  if (fatal !== undefined) {
    expectContract(error.fatal === fatal, `${what} gave a ${error.fatal ? 'fatal' : 'non-fatal'} LLMError; it must be ${fatal ? 'fatal (the run stops with the fix)' : 'non-fatal (the candidate fails, the run goes on)'}`);
  }
}

function containsSeed(body: unknown, seed: number, depth = 0): boolean {
  if (typeof body !== 'object' || body === null || depth > 4) return false;
  return Object.entries(body).some(([key, value]) => (key === 'seed' && value === seed) || containsSeed(value, seed, depth + 1));
}

async function answersWithTextAndUsage(options: ProviderContractOptions): Promise<void> {
  await withProvider(options, async (provider, server) => {
    expectContract(typeof provider.name === 'string' && provider.name.length > 0, 'the provider has no `name`; name its kind, e.g. `ollama`');
    expectContract(typeof provider.model === 'string' && provider.model.length > 0, 'the provider has no `model`; the run store records which model wrote each candidate');
    const reply: ContractReply = { text: 'node1 = conv3x3(node0)', model: provider.model, promptTokens: 11, completionTokens: 7 };
    server.behave({ kind: 'answer', respond: (req) => options.respond(req, reply) });
    const result = await provider.generate(request(options)).catch((error: unknown) => {
      throw new ContractViolation(`generate() rejected on a good answer (${describeError(error)}); check \`respond\` and the provider's parsing`);
    });
    expectContract(result.text === reply.text, `generate() returned text ${JSON.stringify(result.text)}; the server answered ${JSON.stringify(reply.text)}`);
    expectContract(
      result.usage.promptTokens === reply.promptTokens && result.usage.completionTokens === reply.completionTokens,
      `generate() reported usage ${JSON.stringify(result.usage)}; the server reported ${reply.promptTokens} prompt and ${reply.completionTokens} completion tokens: pass the server's counts through so budgets work`,
    );
    expectContract(typeof result.model === 'string' && result.model.length > 0, 'generate() returned no `model`; name the model that answered');
  });
}

async function sendsTheSeed(options: ProviderContractOptions): Promise<void> {
  await withProvider(options, async (provider, server) => {
    const reply: ContractReply = { text: 'ok', model: provider.model, promptTokens: 1, completionTokens: 1 };
    server.behave({ kind: 'answer', respond: (req) => options.respond(req, reply) });
    for (const seed of [271_828, 314_159]) {
      await provider.generate(request(options, { seed }));
      const sent = server.requests.at(-1)?.body;
      expectContract(containsSeed(sent, seed), `the request body carries no \`seed: ${seed}\` (${JSON.stringify(sent)}); send GenerateRequest.seed so cached and repeated runs are reproducible`);
    }
  });
}

function statusCheck(status: number, kinds: readonly LLMErrorKind[], fatal?: boolean): ContractCheck<ProviderContractOptions> {
  return {
    name: `HTTP ${status} becomes LLMError ${kinds.join(' or ')}${fatal === undefined ? '' : fatal ? ' (fatal)' : ' (non-fatal)'}`,
    run: (options) =>
      withProvider(options, async (provider, server) => {
        server.behave({ kind: 'status', status });
        const error = await llmErrorOf(provider.generate(request(options)), `HTTP ${status}`);
        expectKind(error, kinds, `HTTP ${status}`, fatal);
      }),
  };
}

async function refusedIsUnreachable(options: ProviderContractOptions): Promise<void> {
  const provider = options.create({ baseURL: await refusingBaseURL() });
  try {
    const error = await llmErrorOf(provider.generate(request(options)), 'a refused connection');
    expectKind(error, ['unreachable'], 'a refused connection', true);
    if (provider.check) {
      const checked = await llmErrorOf(provider.check(), 'check() on a refused connection');
      expectKind(checked, ['unreachable'], 'check() on a refused connection', true);
      expectContract(/\b(start|set|run)\b/i.test(checked.message), `check() on a refused connection says "${checked.message}"; say how to start the server or where to point the provider`);
    }
  } finally {
    await provider.close?.();
  }
}

async function droppedIsServerError(options: ProviderContractOptions): Promise<void> {
  await withProvider(options, async (provider, server) => {
    server.behave({ kind: 'drop' });
    const error = await llmErrorOf(provider.generate(request(options)), 'a dropped connection');
    expectKind(error, ['server', 'unreachable'], 'a dropped connection');
  });
}

async function abortRejectsAborted(options: ProviderContractOptions): Promise<void> {
  const within = options.abortWithinMs ?? DEFAULT_ABORT_WITHIN_MS;
  await withProvider(options, async (provider, server) => {
    server.behave({ kind: 'hang' });
    const controller = new AbortController();
    const pending = provider.generate(request(options, { signal: controller.signal }));
    await server.nextRequest();
    controller.abort();
    const outcome = await settleWithin(pending, within, 'generate() aborted while the server was silent');
    expectContract(outcome.status === 'rejected', 'generate() resolved after its signal was aborted; it must reject with LLMError kind aborted');
    expectContract(outcome.reason instanceof LLMError, `an aborted generate() rejected with ${describeError(outcome.reason)}; reject with LLMError kind aborted`);
    expectKind(outcome.reason, ['aborted'], 'an aborted request');
  });
}

/** The provider contract, check by check. */
export const providerChecks: readonly ContractCheck<ProviderContractOptions>[] = [
  { name: 'a good answer comes back with its text, usage and model; name and model are set', run: answersWithTextAndUsage },
  { name: 'the request seed reaches the server', run: sendsTheSeed },
  statusCheck(401, ['auth'], true),
  statusCheck(404, ['model-missing'], true),
  statusCheck(429, ['rate-limited']),
  statusCheck(500, ['server']),
  statusCheck(400, ['bad-request'], false),
  { name: 'a refused connection is LLMError unreachable (fatal), also from check()', run: refusedIsUnreachable },
  { name: 'a dropped connection is LLMError server or unreachable', run: droppedIsServerError },
  { name: 'an abort rejects with LLMError aborted', run: abortRejectsAborted },
];
