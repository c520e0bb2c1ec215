import { createLayerCatalogue } from '../layers/catalogue.js';
import { createSandbox, type SandboxOptions } from './sandbox-main.js';
import { createTfShim } from './tf-shim.js';

/** The global name under which the prelude leaves the driver for the runner's scripts. */
export const DRIVER_NAME = '__llmaticSandbox';

/**
 * Source text evaluated first in the candidate's context. The catalogue, the shim and the
 * sandbox set-up are self-contained functions, shipped by their source text so that the sandbox
 * defines every object it can see: no host object, and so no host `Function`, is reachable.
 */
export function preludeSource(options: SandboxOptions): string {
  return (
    `'use strict';\n` +
    `const ${DRIVER_NAME} = (${createSandbox.toString()})(\n` +
    `  ${createLayerCatalogue.toString()},\n` +
    `  ${createTfShim.toString()},\n` +
    `  ${JSON.stringify(options)},\n` +
    `);\n`
  );
}

/** Header that wraps the candidate's program in a function the driver calls. */
export const CANDIDATE_HEADER = `${DRIVER_NAME}.run(function () {`;

/**
 * The candidate's program wrapped so the driver runs it inside its own try/catch and under the
 * vm timeout: the program's declarations stay local to the wrapper, which hands back
 * `buildModel`. The header shares the first line so line numbers in errors match the program.
 */
export function candidateSource(code: string): string {
  return `${CANDIDATE_HEADER}${code}\n;return typeof buildModel === 'undefined' ? undefined : buildModel;\n});`;
}

/** Script that returns the driver's JSON report. */
export const COLLECT_SOURCE = `${DRIVER_NAME}.collect()`;
