import type { GenerateRequest, GenerateResult, LLMProvider } from '../src/llm/provider.js';

/** An in-memory LLMProvider for wrapper tests: answers with `answer(request)` and records each call. */
export class ScriptedProvider implements LLMProvider {
  readonly name = 'scripted';
  readonly calls: GenerateRequest[] = [];
  checks = 0;
  closes = 0;
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly model: string,
    private readonly answer: (request: GenerateRequest, index: number) => Partial<GenerateResult> | Promise<Partial<GenerateResult>> = (r) => ({
      text: `reply to ${r.prompt ?? r.messages?.at(-1)?.content}`,
    }),
  ) {}

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.calls.push(request);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const partial = await this.answer(request, this.calls.length - 1);
      return { text: '', usage: { promptTokens: 10, completionTokens: 20 }, model: this.model, ...partial };
    } finally {
      this.inFlight--;
    }
  }

  async check(): Promise<void> {
    this.checks++;
  }

  async close(): Promise<void> {
    this.closes++;
  }
}
