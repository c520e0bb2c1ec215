import { gunzip } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { parseArch } from '../cell/arch.js';
import { NUMERIC_COLUMNS, TABLE_COLUMNS, type NumericColumn } from './columns.js';

/** A problem with the benchmark table: missing, unreadable, or malformed. The message says how to fix it. */
export class NasBench201TableError extends Error {
  override readonly name = 'NasBench201TableError';
}

/** The benchmark table in memory: one row per architecture, numeric columns as typed arrays. */
export class Nb201Table {
  private readonly ranks = new Map<NumericColumn, Int32Array>();

  constructor(
    /** The file it was read from. */
    readonly file: string,
    /** Benchmark index of each row. */
    readonly indices: Int32Array,
    /** Arch string of each row. */
    readonly archs: readonly string[],
    private readonly columns: Readonly<Record<NumericColumn, Float64Array>>,
    private readonly rowOf: ReadonlyMap<string, number>,
  ) {}

  /** Number of rows (15,625 for the full benchmark). */
  get size(): number {
    return this.archs.length;
  }

  /** Row of an arch string, or `undefined` when the table has none. */
  row(arch: string): number | undefined {
    return this.rowOf.get(arch);
  }

  /** Value of `column` at `row`; `NaN` where the table has no value. */
  value(column: NumericColumn, row: number): number {
    return this.columns[column][row] ?? Number.NaN;
  }

  /**
   * Rank of `row` by `column`, descending: 1 = best; ties share the best rank (1, 1, 3, ...).
   * Computed once per column.
   */
  rank(column: NumericColumn, row: number): number {
    let ranks = this.ranks.get(column);
    if (!ranks) {
      ranks = competitionRanks(this.columns[column]);
      this.ranks.set(column, ranks);
    }
    return ranks[row] ?? Number.NaN;
  }
}

/** Standard competition ranks, highest value first; NaN values rank last. */
export function competitionRanks(values: Float64Array): Int32Array {
  const order = Array.from(values.keys()).sort((a, b) => {
    const va = values[a] ?? Number.NaN;
    const vb = values[b] ?? Number.NaN;
    if (Number.isNaN(va)) return Number.isNaN(vb) ? 0 : 1;
    if (Number.isNaN(vb)) return -1;
    return vb - va;
  });
  const ranks = new Int32Array(values.length);
  order.forEach((row, position) => {
    const previous = order[position - 1];
    const same = previous !== undefined && (values[previous] === values[row] || (Number.isNaN(values[previous] ?? 0) && Number.isNaN(values[row] ?? 0)));
    ranks[row] = same && previous !== undefined ? (ranks[previous] ?? 0) : position + 1;
  });
  return ranks;
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

const headerSchema = z.array(z.string()).superRefine((header, ctx) => {
  const missing = TABLE_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `lacks column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}`,
    });
  }
  const duplicated = header.filter((c, i) => header.indexOf(c) !== i);
  if (duplicated.length > 0) {
    ctx.addIssue({ code: 'custom', message: `repeats column ${duplicated.map((c) => `"${c}"`).join(', ')}` });
  }
});

const gunzipAsync = promisify(gunzip);

/** True for gzip data (magic bytes 1f 8b). */
function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip data (plain CSV passes through), naming the file on failure. */
export async function tableText(bytes: Uint8Array, file: string): Promise<string> {
  if (!isGzip(bytes)) return Buffer.from(bytes).toString('utf8');
  try {
    return (await gunzipAsync(bytes)).toString('utf8');
  } catch (error) {
    throw new NasBench201TableError(
      `NAS-Bench-201 table ${file} is not a valid gzip file (${(error as Error).message}); replace it with nb201.csv.gz as published`,
    );
  }
}

/**
 * Parses the table's CSV text. The header must hold the 19 columns of `nb201.csv.gz` (extra
 * columns are ignored); every value must be a number (training time may be empty); arch strings
 * must be canonical and unique. Errors name the file, the line and the column.
 */
export function parseNb201Table(text: string, file: string): Nb201Table {
  const where = `NAS-Bench-201 table ${file}`;
  let header: string[] = [];
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new NasBench201TableError(`${where} is not valid CSV: ${(error as Error).message}`);
  }
  header = records.shift() ?? [];
  const checked = headerSchema.safeParse(header);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => i.message).join('; ');
    throw new NasBench201TableError(
      `${where} ${problems}. Its header is "${header.join(',')}"; the table needs the header of nb201.csv.gz: ${TABLE_COLUMNS.join(',')}`,
    );
  }
  const position = new Map(header.map((name, i) => [name, i]));
  const at = (name: string) => position.get(name) ?? -1;
  const size = records.length;
  if (size === 0) throw new NasBench201TableError(`${where} has a header but no rows`);
  const columns = Object.fromEntries(NUMERIC_COLUMNS.map((c) => [c, new Float64Array(size)])) as Record<
    NumericColumn,
    Float64Array
  >;
  const indices = new Int32Array(size);
  const archs: string[] = new Array<string>(size);
  const rowOf = new Map<string, number>();
  const indexCol = at('index');
  const archCol = at('arch');
  const numeric = NUMERIC_COLUMNS.map((c) => [c, at(c)] as const);
  for (let row = 0; row < size; row++) {
    const record = records[row] ?? [];
    const line = row + 2;
    const fault = (message: string) => new NasBench201TableError(`${where}, line ${line}: ${message}`);
    const index = record[indexCol] ?? '';
    if (!/^\d+$/.test(index)) throw fault(`column "index" must be a non-negative integer, got "${index}"`);
    const arch = record[archCol] ?? '';
    const parsed = parseArch(arch);
    if (!parsed.ok) throw fault(`column "arch": ${parsed.message}`);
    if (parsed.cell.arch !== arch) {
      throw fault(`column "arch" holds "${arch}", which is not the canonical form "${parsed.cell.arch}"`);
    }
    const duplicate = rowOf.get(arch);
    if (duplicate !== undefined) throw fault(`arch ${arch} already appears on line ${duplicate + 2}`);
    rowOf.set(arch, row);
    indices[row] = Number(index);
    archs[row] = arch;
    for (const [name, col] of numeric) {
      const raw = record[col] ?? '';
      if (raw === '' && name === 'cifar10valid_train_time_s') {
        columns[name][row] = Number.NaN;
        continue;
      }
      if (!NUMBER.test(raw)) throw fault(`column "${name}" must be a number, got "${raw}"`);
      columns[name][row] = Number(raw);
    }
  }
  return new Nb201Table(file, indices, archs, columns, rowOf);
}

const loaded = new Map<string, Promise<Nb201Table>>();

/**
 * Reads and parses the table at `file` (gzip or plain CSV) once per process: every caller,
 * concurrent or later, shares the same promise and table. A failed load is forgotten, so a later
 * call retries.
 */
export function loadNb201Table(file: string): Promise<Nb201Table> {
  const key = resolve(file);
  let pending = loaded.get(key);
  if (!pending) {
    pending = (async () => {
      let bytes: Buffer;
      try {
        bytes = await readFile(key);
      } catch (error) {
        throw new NasBench201TableError(`cannot read NAS-Bench-201 table ${key}: ${(error as Error).message}`);
      }
      return parseNb201Table(await tableText(bytes, key), key);
    })();
    loaded.set(key, pending);
    pending.catch(() => loaded.delete(key));
  }
  return pending;
}
