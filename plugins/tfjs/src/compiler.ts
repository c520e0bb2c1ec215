import { fail, type CompileContext, type Compiler, type Result } from '@llmatic/core';
import { z } from 'zod';
import { costCapsShape, resolveCostCaps, type CostCaps } from './cost/cost-caps.js';
import { checkSource } from './sandbox/static-check.js';
import { runInChild, type ChildOutcome } from './sandbox/child-process.js';
import { CANDIDATE_HEADER, candidateSource, COLLECT_SOURCE, preludeSource } from './shim/prelude.js';
import type { TfjsModelSpec } from './spec.js';
import { validateTopology } from './topology/validate.js';

/** The code language of this space: JavaScript defining `buildModel(tf, { inputShape, numClasses })`. */
export const TFJS_LANGUAGE = 'tfjs-layers-js';

const shapeSchema = z
  .array(z.number().int().positive())
  .min(1)
  .max(4)
  .describe('input shape without the batch axis, e.g. [32, 32, 3]');

/**
 * Options of {@link tfjsCompiler}. The cost caps ({@link CostCaps}: `trainingBatchSize`,
 * `maxDimension`, `maxActivationMb`, `maxTrainingMemoryMb`, `maxTrainingFlops`) bound what
 * training a network costs, over every layer.
 */
export interface TfjsCompilerOptions extends Partial<CostCaps> {
  /** Input shape without the batch axis, e.g. `[32, 32, 3]` for CIFAR-10, `[28, 28, 1]` for MNIST. */
  inputShape: number[];
  /** Number of classes: the model's output must be `[batch, numClasses]`. */
  numClasses: number;
  /** Largest number of weights a model may have (default 20 million). */
  maxParams?: number;
  /** Largest number of FLOPs per example, NAS-Bench-201 convention (default 5 GFLOPs). */
  maxFlops?: number;
  /** Largest number of layers, not counting the input (default 300). */
  maxLayers?: number;
  /** Time the program may run, in ms (default 5,000). Starting Node comes on top. */
  timeoutMs?: number;
  /** Heap cap of the sandbox process in MB (default 128). */
  memoryMb?: number;
  /**
   * Resident-memory cap of the sandbox process in MB, watched from the parent (default
   * `memoryMb` + 256, so 384): memory outside the V8 heap (e.g. ICU results) is not covered by `memoryMb`.
   */
  maxRssMb?: number;
  /** Wall-clock allowance for starting the sandbox process, in ms (default 5,000). */
  startupGraceMs?: number;
}

const optionsSchema = z.strictObject({
  inputShape: shapeSchema,
  numClasses: z.number().int().min(2),
  maxParams: z.number().positive().default(20_000_000),
  maxFlops: z.number().positive().default(5e9),
  maxLayers: z.number().int().positive().default(300),
  timeoutMs: z.number().int().positive().default(5_000),
  memoryMb: z.number().int().min(16).default(128),
  maxRssMb: z.number().int().min(64).optional(),
  startupGraceMs: z.number().int().positive().default(5_000),
  ...costCapsShape,
});

/** Room for Node itself (code, ICU, buffers) next to the heap; a bare sandbox child uses about 50 MB. */
const RSS_ABOVE_HEAP_MB = 256;

/** The driver's report as the trusted side reads it (the sandbox could send anything). */
const reportSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), topology: z.unknown() }),
  z.object({ status: z.literal('error'), reason: z.string(), message: z.string() }),
]);

/** Compiler options with every default filled in. */
export type ResolvedTfjsCompilerOptions = Required<TfjsCompilerOptions>;

/** Parses compiler options, throwing an error that names each bad option. */
export function resolveCompilerOptions(options: TfjsCompilerOptions): ResolvedTfjsCompilerOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`);
    throw new Error(`invalid tfjs compiler options: ${problems.join('; ')}`);
  }
  const maxRssMb = parsed.data.maxRssMb ?? parsed.data.memoryMb + RSS_ABOVE_HEAP_MB;
  if (maxRssMb <= parsed.data.memoryMb) {
    throw new Error(
      `invalid tfjs compiler options: maxRssMb (${maxRssMb}) must be larger than memoryMb (${parsed.data.memoryMb}), ` +
        'since the heap is part of the resident memory; raise maxRssMb or leave it out',
    );
  }
  return { ...parsed.data, ...resolveCostCaps(parsed.data, parsed.data.maxFlops), maxRssMb } satisfies ResolvedTfjsCompilerOptions;
}

/**
 * A compiler that runs the program in a locked-down child process and returns the validated
 * topology of the model it describes. Every call starts a fresh process, so nothing a program
 * does can affect the next compile. Failures: `compile` (syntax, runtime errors, bad layers),
 * `output-shape`, `resource-cap` (parameters, FLOPs, layers, description size), `timeout`,
 * `memory`, `sandbox-violation` (modules, process, env, network, eval), `crash`.
 * If `context.signal` aborts, the child is killed and the promise rejects with the abort reason.
 */
export function tfjsCompiler(options: TfjsCompilerOptions): Compiler<TfjsModelSpec> {
  const resolved = resolveCompilerOptions(options);
  const prelude = preludeSource({
    inputShape: resolved.inputShape,
    numClasses: resolved.numClasses,
    maxParams: resolved.maxParams,
    maxFlops: resolved.maxFlops,
    maxLayers: resolved.maxLayers,
  });

  return {
    language: TFJS_LANGUAGE,
    async compile(code: string, context?: CompileContext): Promise<Result<{ model: TfjsModelSpec }>> {
      const checked = checkSource(code);
      if (!checked.ok) return checked;
      const outcome = await runInChild(
        [
          { source: prelude, filename: 'llmatic-shim.js' },
          { source: candidateSource(code), filename: 'candidate.js', columnOffset: -CANDIDATE_HEADER.length },
          { source: COLLECT_SOURCE, filename: 'llmatic-collect.js' },
        ],
        {
          timeoutMs: resolved.timeoutMs,
          memoryMb: resolved.memoryMb,
          maxRssMb: resolved.maxRssMb,
          startupGraceMs: resolved.startupGraceMs,
          // A description of maxLayers layers stays far below this; more is not a model.
          maxReplyBytes: 64_000 + resolved.maxLayers * 8_000,
          ...(context?.signal ? { signal: context.signal } : {}),
        },
      );
      return interpret(outcome, resolved);
    },
  };
}

function interpret(outcome: ChildOutcome, options: ResolvedTfjsCompilerOptions): Result<{ model: TfjsModelSpec }> {
  switch (outcome.kind) {
    case 'timeout':
      return fail('timeout', outcome.message);
    case 'memory':
      return fail('memory', outcome.message);
    case 'syntax':
      return fail('compile', outcome.message);
    case 'reply-too-large':
      return fail('resource-cap', outcome.message);
    case 'crash':
      return fail('crash', outcome.message);
    case 'result':
      break;
  }
  let json: unknown;
  try {
    json = JSON.parse(outcome.value);
  } catch {
    return fail('crash', 'the sandbox returned a report that is not JSON');
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) return fail('crash', 'the sandbox returned a report of the wrong form');
  const report = parsed.data;
  if (report.status === 'error') {
    const reasons = ['compile', 'resource-cap', 'output-shape', 'sandbox-violation'] as const;
    const reason = reasons.find((known) => known === report.reason) ?? 'compile';
    return fail(reason, report.message);
  }
  return validateTopology(report.topology, options);
}
