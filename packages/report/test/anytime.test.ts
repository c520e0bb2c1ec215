import { describe, expect, it } from 'vitest';
import { anytimeAt, anytimeCurve, type ScoredCandidate } from '@llmatic/report';

const ok = (generation: number, fitness: number, test: number): ScoredCandidate => ({ generation, ok: true, fitness, metrics: { testAccuracy: test } });
const failed = (generation: number): ScoredCandidate => ({ generation, ok: false, fitness: null, metrics: null });

describe('anytimeCurve', () => {
  it('follows the candidate selected by fitness, never by the test metric', () => {
    const curve = anytimeCurve([
      ok(-1, 99, 99), // the seed network is not an evaluation
      failed(0),
      ok(0, 80, 85),
      ok(0, 79, 95), // better on test, worse on fitness: not selected
      ok(1, 90, 88),
      ok(1, 90, 97), // a tie on fitness keeps the first
      failed(1),
    ]);
    expect(curve).toEqual([
      { evaluations: 2, fitness: 80, value: 85 },
      { evaluations: 3, fitness: 80, value: 85 },
      { evaluations: 4, fitness: 90, value: 88 },
      { evaluations: 5, fitness: 90, value: 88 },
      { evaluations: 6, fitness: 90, value: 88 },
    ]);
    expect(anytimeAt(curve, 1)).toBeUndefined();
    expect(anytimeAt(curve, 3)?.value).toBe(85);
    expect(anytimeAt(curve, 100)?.value).toBe(88);
  });

  it('reports a missing metric as null and reads any named metric', () => {
    const curve = anytimeCurve([{ generation: 0, ok: true, fitness: 1, metrics: { other: 7 } }]);
    expect(curve[0]?.value).toBeNull();
    expect(anytimeCurve([{ generation: 0, ok: true, fitness: 1, metrics: { other: 7 } }], 'other')[0]?.value).toBe(7);
  });
});
