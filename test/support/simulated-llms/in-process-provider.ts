/**
 * An LLMProvider that answers from a reply function in this process: the simulated LLMs without
 * HTTP, for quick search-quality measurements. (The benchmark drives the same reply functions
 * through the OpenAI protocol double and the real client.)
 */
import type { GenerateRequest, GenerateResult, LLMProvider } from '@llmatic/core';

type ReplyFunction = (request: Pick<GenerateRequest, 'prompt' | 'messages' | 'temperature' | 'seed'>) => string;

const tokens = (text: string) => text.split(/\s+/).filter(Boolean).length;

export function inProcessProvider(reply: ReplyFunction, model = 'simulated'): LLMProvider {
  return {
    name: 'simulated',
    model,
    generate: async (request: GenerateRequest): Promise<GenerateResult> => {
      const text = reply(request);
      const prompt = request.prompt ?? request.messages?.map((m) => m.content).join('\n') ?? '';
      return { text, model, usage: { promptTokens: tokens(prompt), completionTokens: tokens(text) } };
    },
  };
}
