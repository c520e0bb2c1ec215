import { fail, type Compiler } from '@llmatic/core';
import type { NasBench201Cell } from '../cell/cell.js';
import { parseCell } from '../cell/parse.js';

/** The code language of NAS-Bench-201 cell programs. */
export const NB201_LANGUAGE = 'nb201-cell';

/**
 * Compiles a cell program (or an arch string) into a {@link NasBench201Cell}. Parse errors
 * become `compile` failures whose message is the parser's (with the line number).
 */
export function nasBench201Compiler(): Compiler<NasBench201Cell> {
  return {
    language: NB201_LANGUAGE,
    compile(code) {
      const parsed = parseCell(code);
      if (!parsed.ok) return Promise.resolve(fail('compile', parsed.error.message));
      return Promise.resolve({ ok: true, model: parsed.cell });
    },
  };
}
