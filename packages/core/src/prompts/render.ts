import type { GenerateRequest } from '../llm/provider.js';
import type { PromptRenderer } from '../strategy/strategy.js';
import type { PromptTemplates, TemplatePair } from './templates.js';

/** Chat (system + user messages) or completion (one prompt the model continues). */
export type PromptStyle = 'chat' | 'completion';

/** Replaces `{{name}}` placeholders; an unknown placeholder is an error in the template. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new Error(
        `Prompt template uses {{${key}}}, which is not provided here (available: ${Object.keys(values).join(', ')}). Fix the template.`,
      );
    }
    return value;
  });
}

type Rendered = Omit<GenerateRequest, 'signal' | 'temperature'>;

function render(
  templates: PromptTemplates,
  pair: TemplatePair,
  style: PromptStyle,
  values: Record<string, string>,
  maxTokens: number,
): Rendered {
  if (style === 'chat') {
    return {
      messages: [
        { role: 'system', content: templates.system },
        { role: 'user', content: fillTemplate(pair.chat, values) },
      ],
      maxTokens,
    };
  }
  const stop = templates.stop;
  return {
    prompt: fillTemplate(pair.completion, values),
    maxTokens,
    ...(stop && stop.length > 0 ? { stop } : {}),
  };
}

/** Builds LLM requests from a search space's templates in the configured style. */
export function createPromptRenderer(
  templates: PromptTemplates,
  style: PromptStyle,
  maxTokens: number,
): PromptRenderer {
  return {
    mutation: (code, instruction) =>
      render(templates, templates.mutation, style, { code, instruction }, maxTokens),
    crossover: (codeA, codeB) =>
      render(
        templates,
        templates.crossover,
        style,
        { code_a: codeA, code_b: codeB, instruction: templates.crossoverInstruction },
        maxTokens,
      ),
  };
}
