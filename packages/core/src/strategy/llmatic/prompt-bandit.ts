import type { Rng } from '../../rng/rng.js';

/** How often one instruction made a child fitter than its parent. */
export interface InstructionRecord {
  trials: number;
  improvements: number;
}

/**
 * Thompson sampling over instructions (a Bernoulli bandit with Beta(1, 1) priors): each choice
 * draws a plausible improvement rate for every instruction from its posterior and takes the
 * highest. Instructions that keep improving their parents are chosen more, the others are still
 * tried now and then, and a batch planned before any result spreads over instructions.
 */
export class InstructionBandit {
  constructor(private readonly records: InstructionRecord[]) {}

  static empty(instructions: number): InstructionBandit {
    return new InstructionBandit(Array.from({ length: instructions }, () => ({ trials: 0, improvements: 0 })));
  }

  static restore(records: readonly InstructionRecord[], instructions: number): InstructionBandit {
    const bandit = InstructionBandit.empty(instructions);
    records.slice(0, instructions).forEach((r, i) => (bandit.records[i] = { ...r }));
    return bandit;
  }

  choose(rng: Rng): number {
    let best = 0;
    let bestDraw = -1;
    this.records.forEach((r, id) => {
      const draw = sampleBeta(rng, 1 + r.improvements, 1 + r.trials - r.improvements);
      if (draw > bestDraw) {
        bestDraw = draw;
        best = id;
      }
    });
    return best;
  }

  record(instruction: number, improved: boolean): void {
    const r = this.records[instruction];
    if (!r) return;
    r.trials += 1;
    if (improved) r.improvements += 1;
  }

  snapshot(): InstructionRecord[] {
    return this.records.map((r) => ({ ...r }));
  }
}

// Hand-written because our streams must stay seeded: samplers of Beta need Gamma draws, and no
// well-kept library draws them from a caller's generator. Beta(a, b) = X / (X + Y) with
// X ~ Gamma(a), Y ~ Gamma(b).
function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}

/** Marsaglia and Tsang (2000), for shape >= 1 (all we need: shapes are 1 + counts). */
function sampleGamma(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = sampleNormal(rng);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = rng.float();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Box-Muller. */
function sampleNormal(rng: Rng): number {
  const u = 1 - rng.float();
  const v = rng.float();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
