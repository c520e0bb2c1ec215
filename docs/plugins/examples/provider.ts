import { LLMError, networkFailure, type GenerateRequest, type GenerateResult, type LLMProvider } from '@llmatic/core';

interface CompletionReply {
  model: string;
  choices: { message: { content: string }; finish_reason?: string }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** Maps an HTTP status to the kernel's error kinds: fatal ones stop the run with the fix. */
function statusError(status: number, baseURL: string, model: string): LLMError {
  if (status === 401 || status === 403) return new LLMError(`${baseURL} refused the key: set apiKey.`, 'auth', true);
  if (status === 404) return new LLMError(`${baseURL} does not serve "${model}": pass a model it has.`, 'model-missing', true);
  if (status === 429) return new LLMError(`${baseURL} is rate-limiting.`, 'rate-limited', false);
  if (status >= 500) return new LLMError(`${baseURL} failed (HTTP ${status}).`, 'server', false);
  return new LLMError(`${baseURL} rejected the request (HTTP ${status}).`, 'bad-request', false);
}

/** A provider for an OpenAI-style `/chat/completions` endpoint, without retries. */
export function chatCompletions(options: { baseURL: string; model: string; apiKey?: string }): LLMProvider {
  const { baseURL, model, apiKey } = options;
  return {
    name: 'chat-completions',
    model,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const messages = request.messages ?? [{ role: 'user' as const, content: request.prompt ?? '' }];
      let response: Response;
      try {
        response = await fetch(`${baseURL}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
          body: JSON.stringify({ model, messages, temperature: request.temperature, max_tokens: request.maxTokens, stop: request.stop, seed: request.seed }),
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        if (request.signal?.aborted) throw new LLMError('The request was aborted.', 'aborted', true, { cause: error });
        const down = networkFailure(error)?.phase === 'connect';
        throw new LLMError(down ? `Cannot reach ${baseURL}: start the server or fix baseURL.` : `${baseURL} broke the connection.`, down ? 'unreachable' : 'server', down, { cause: error });
      }
      if (!response.ok) throw statusError(response.status, baseURL, model);
      const reply = (await response.json()) as CompletionReply;
      const choice = reply.choices[0];
      if (!choice) throw new LLMError(`${baseURL} answered with no choices.`, 'server', false);
      return {
        text: choice.message.content,
        model: reply.model,
        usage: { promptTokens: reply.usage?.prompt_tokens ?? 0, completionTokens: reply.usage?.completion_tokens ?? 0 },
        ...(choice.finish_reason ? { finishReason: choice.finish_reason } : {}),
      };
    },
  };
}
