/** The OpenAI-compatible provider keeps the LLM provider contract of @llmatic/testkit. */
import { describeProviderContract, type ContractHttpRequest, type ContractReply } from '@llmatic/testkit';
import { openai } from '@llmatic/provider-openai';

/** OpenAI's non-streamed answer: `chat.completion` for `/chat/completions`, `text_completion` for `/completions`. */
function respond(request: ContractHttpRequest, reply: ContractReply) {
  const chat = request.path.endsWith('/chat/completions');
  const choice = chat
    ? { index: 0, message: { role: 'assistant', content: reply.text, refusal: null }, logprobs: null, finish_reason: 'stop' }
    : { index: 0, text: reply.text, logprobs: null, finish_reason: 'stop' };
  const usage = { prompt_tokens: reply.promptTokens, completion_tokens: reply.completionTokens, total_tokens: reply.promptTokens + reply.completionTokens };
  return { body: { id: 'contract-1', object: chat ? 'chat.completion' : 'text_completion', created: 0, model: reply.model, choices: [choice], usage } };
}

for (const form of ['chat', 'prompt'] as const) {
  describeProviderContract(`provider-openai (${form})`, {
    create: ({ baseURL }) => openai({ baseURL: `${baseURL}/v1`, apiKey: 'sk-contract', model: 'gpt-4o-mini', retries: 2, retryDelayMs: 1, maxRetryDelayMs: 5 }),
    respond,
    form,
  });
}
