/** The Ollama provider keeps the LLM provider contract of @llmatic/testkit. */
import { describeProviderContract, type ContractHttpRequest, type ContractReply } from '@llmatic/testkit';
import { ollama } from '@llmatic/provider-ollama';

/** Ollama's non-streamed answer: `/api/chat` carries `message`, `/api/generate` carries `response`. */
function respond(request: ContractHttpRequest, reply: ContractReply) {
  const common = { model: reply.model, created_at: new Date(0).toISOString(), done: true, done_reason: 'stop', prompt_eval_count: reply.promptTokens, eval_count: reply.completionTokens };
  const body = request.path.startsWith('/api/chat') ? { ...common, message: { role: 'assistant', content: reply.text } } : { ...common, response: reply.text };
  return { body };
}

for (const form of ['chat', 'prompt'] as const) {
  describeProviderContract(`provider-ollama (${form})`, {
    create: ({ baseURL }) => ollama({ host: baseURL, model: 'qwen2.5-coder:7b', retries: 2, retryDelayMs: 1, maxRetryDelayMs: 5 }),
    respond,
    form,
  });
}
