/** Thompson sampling over instructions: the draws must follow the Beta posteriors exactly. */
import { describe, expect, it } from 'vitest';
import { InstructionBandit, Rng } from '@llmatic/core';

const share = (bandit: InstructionBandit, instruction: number, draws = 8000, seed = 1) => {
  const rng = Rng.fromSeed(seed);
  let hits = 0;
  for (let i = 0; i < draws; i++) if (bandit.choose(rng) === instruction) hits += 1;
  return hits / draws;
};

describe('InstructionBandit', () => {
  it('draws from Beta(1 + improvements, 1 + failures): P(Beta(2,1) > U(0,1)) = 2/3', () => {
    const bandit = InstructionBandit.restore([{ trials: 1, improvements: 1 }, { trials: 0, improvements: 0 }], 2);
    expect(share(bandit, 0)).toBeCloseTo(2 / 3, 1);
    expect(Math.abs(share(bandit, 0) - 2 / 3)).toBeLessThan(0.02);
  });

  it('P(Beta(1,2) > U(0,1)) = 1/3: a failure counts against an instruction', () => {
    const bandit = InstructionBandit.restore([{ trials: 1, improvements: 0 }, { trials: 0, improvements: 0 }], 2);
    expect(Math.abs(share(bandit, 0) - 1 / 3)).toBeLessThan(0.02);
  });

  it('P(Beta(6,2) > Beta(2,6)) is about 0.99: strong evidence decides', () => {
    const bandit = InstructionBandit.restore([{ trials: 6, improvements: 5 }, { trials: 6, improvements: 1 }], 2);
    expect(share(bandit, 0)).toBeGreaterThan(0.97);
    expect(share(bandit, 0)).toBeLessThan(0.999);
  });

  it('without evidence chooses uniformly', () => {
    const bandit = InstructionBandit.empty(4);
    for (let i = 0; i < 4; i++) expect(Math.abs(share(bandit, i, 8000, i + 5) - 0.25)).toBeLessThan(0.02);
  });

  it('records trials and improvements, ignores unknown instructions, and round-trips its snapshot', () => {
    const bandit = InstructionBandit.empty(3);
    bandit.record(1, true);
    bandit.record(1, false);
    bandit.record(2, false);
    bandit.record(7, true);
    expect(bandit.snapshot()).toEqual([
      { trials: 0, improvements: 0 },
      { trials: 2, improvements: 1 },
      { trials: 1, improvements: 0 },
    ]);
    const copy = InstructionBandit.restore(bandit.snapshot(), 3);
    expect(copy.snapshot()).toEqual(bandit.snapshot());
    // A snapshot is a copy: recording later does not change it.
    const saved = bandit.snapshot();
    bandit.record(0, true);
    expect(saved[0]).toEqual({ trials: 0, improvements: 0 });
    // More instructions than the snapshot knows start empty.
    expect(InstructionBandit.restore(saved, 4).snapshot()[3]).toEqual({ trials: 0, improvements: 0 });
  });
});
