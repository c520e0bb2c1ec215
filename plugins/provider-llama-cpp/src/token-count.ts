import { LlamaVocabularyType, type ChatHistoryItem, type ChatWrapper, type LlamaModel, type Token } from 'node-llama-cpp';

/**
 * The token llama.cpp puts before a completion prompt, if any. Mirrors node-llama-cpp's own
 * rule (not exported), so that the prompt tokens we count are the ones evaluated.
 */
function beginningToken(model: LlamaModel): Token | null {
  switch (model.vocabularyType) {
    case LlamaVocabularyType.rwkv:
    case LlamaVocabularyType.ugm:
      return null;
    case LlamaVocabularyType.wpm:
      return model.tokens.bos;
    default:
      return model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
  }
}

/**
 * Tokenizes a completion prompt the way LlamaCompletion does. Returns the tokens to pass to it
 * (without the beginning token, which LlamaCompletion adds) and the total count evaluated.
 */
export function tokenizeCompletionPrompt(model: LlamaModel, prompt: string): { tokens: Token[]; count: number } {
  const bos = beginningToken(model);
  const tokens = model.tokenize(prompt, false, bos != null ? 'trimLeadingSpace' : undefined);
  return { tokens, count: tokens.length + (bos != null ? 1 : 0) };
}

/** Number of tokens of a chat history rendered with the model's chat template. */
export function countChatPromptTokens(model: LlamaModel, chatWrapper: ChatWrapper, history: readonly ChatHistoryItem[]): number {
  const { contextText } = chatWrapper.generateContextState({ chatHistory: history });
  return contextText.tokenize(model.tokenizer).length;
}
