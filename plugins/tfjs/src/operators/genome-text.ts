import {
  CONV_FILTERS,
  CONV_KERNELS,
  CONV_STRIDES,
  DENSE_UNITS,
  DROPOUT_RATES,
  type TfjsGene,
  type TfjsGenome,
} from './genome.js';

/**
 * The compact text of a genome, space-separated tokens: `conv<filters>k<kernel>s<stride>`
 * (e.g. `conv16k3s1`), `maxpool`, `avgpool`, `bn`, `drop<rate>` (e.g. `drop0.25`),
 * `dense<units>`, and `flatten` or `gap` for the reduce gene.
 */
export function formatGenome(genome: TfjsGenome): string {
  return genome.map(formatGene).join(' ');
}

function formatGene(gene: TfjsGene): string {
  switch (gene.type) {
    case 'conv':
      return `conv${gene.filters}k${gene.kernel}s${gene.stride}`;
    case 'pool':
      return `${gene.mode}pool`;
    case 'batchnorm':
      return 'bn';
    case 'dropout':
      return `drop${gene.rate}`;
    case 'dense':
      return `dense${gene.units}`;
    case 'reduce':
      return gene.mode;
  }
}

/** A parsed genome, or the problem with the text. */
export type ParsedGenome = { ok: true; genome: TfjsGene[] } | { ok: false; problem: string };

const TOKEN_FORMS = 'conv<4|8|16|32|64>k<1|3|5>s<1|2>, maxpool, avgpool, bn, drop<0.1|0.25|0.5>, dense<16|32|64|128>, flatten, gap';

function member<T extends number>(values: readonly T[], text: string | undefined): T | undefined {
  const value = Number(text);
  return values.find((allowed) => allowed === value);
}

/** Parses one token; `undefined` when it is not a gene of the space. */
function parseGene(token: string): TfjsGene | undefined {
  if (token === 'maxpool') return { type: 'pool', mode: 'max' };
  if (token === 'avgpool') return { type: 'pool', mode: 'avg' };
  if (token === 'bn') return { type: 'batchnorm' };
  if (token === 'flatten' || token === 'gap') return { type: 'reduce', mode: token };
  const conv = /^conv(\d+)k(\d+)s(\d+)$/.exec(token);
  if (conv) {
    const filters = member(CONV_FILTERS, conv[1]);
    const kernel = member(CONV_KERNELS, conv[2]);
    const stride = member(CONV_STRIDES, conv[3]);
    return filters && kernel && stride ? { type: 'conv', filters, kernel, stride } : undefined;
  }
  const drop = /^drop(0\.\d+)$/.exec(token);
  if (drop) {
    const rate = member(DROPOUT_RATES, drop[1]);
    return rate ? { type: 'dropout', rate } : undefined;
  }
  const dense = /^dense(\d+)$/.exec(token);
  if (dense) {
    const units = member(DENSE_UNITS, dense[1]);
    return units ? { type: 'dense', units } : undefined;
  }
  return undefined;
}

/** Parses the text of {@link formatGenome}. Only the syntax is checked here; see `checkGenome`. */
export function parseGenome(text: string): ParsedGenome {
  const tokens = text.trim().split(/\s+/).filter((token) => token !== '');
  if (tokens.length === 0) return { ok: false, problem: 'the genome is empty' };
  const genome: TfjsGene[] = [];
  for (const token of tokens) {
    const gene = parseGene(token);
    if (!gene) return { ok: false, problem: `'${token}' is not a gene of the tfjs space (genes: ${TOKEN_FORMS})` };
    genome.push(gene);
  }
  return { ok: true, genome };
}

/** The comment that starts every program the operators print, and how it is found again. */
export const GENOME_LINE_PREFIX = '// genome:';
const GENOME_LINE = /^[ \t]*\/\/[ \t]*genome:(.*)$/m;

/** The text after `// genome:` in `code`, or `undefined` when the program has no genome line. */
export function readGenomeLine(code: string): string | undefined {
  return GENOME_LINE.exec(code)?.[1]?.trim();
}
