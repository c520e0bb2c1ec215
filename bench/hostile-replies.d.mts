import type { Arbitrary } from 'fast-check';

export declare const MAX_FUZZ_CHARS: number;
export declare function fill(unit: string, length: number): string;
export declare const hostileReplies: Record<
  | 'unterminatedFence'
  | 'longLine'
  | 'runThenBreak'
  | 'manyBackticks'
  | 'nestedFences'
  | 'hugeProse'
  | 'reasoningTags'
  | 'cellFragments'
  | 'codeFragments'
  | 'mixed',
  Arbitrary<string>
>;
export declare function timedCall<T>(extract: (reply: string) => T, reply: string, boundMs: number): { result: T; ms: number };
export declare function fuzzExtraction(
  extract: (reply: string) => unknown,
  replies: Arbitrary<string>,
  options: { numRuns: number; boundMs: number; seed?: number },
): { runs: number; characters: number; worstMs: number; failure: string | undefined };
