/** The fields of a candidate that selection and anytime curves need. */
export interface ScoredCandidate {
  generation: number;
  ok: boolean;
  fitness: number | null;
  metrics: Record<string, number> | null;
}

/** One point of an anytime curve: after `evaluations` offspring, the selected candidate's numbers. */
export interface AnytimePoint {
  evaluations: number;
  /** Highest fitness so far (the selection criterion, e.g. validation accuracy). */
  fitness: number;
  /** `metric` of the candidate selected by fitness (e.g. its test accuracy), when it has one. */
  value: number | null;
}

/**
 * The anytime curve of a run: after each offspring (in evaluation order, the seed network
 * excluded), the candidate with the highest fitness so far and its `metric`. A later candidate
 * replaces the selected one only with a strictly higher fitness, so on a tie the first stays
 * selected. Offspring before the first valid one give no point.
 */
export function anytimeCurve(candidates: readonly ScoredCandidate[], metric = 'testAccuracy'): AnytimePoint[] {
  const points: AnytimePoint[] = [];
  let evaluations = 0;
  let best: { fitness: number; value: number | null } | undefined;
  for (const candidate of candidates) {
    if (candidate.generation < 0) continue;
    evaluations += 1;
    if (candidate.ok && candidate.fitness !== null && (best === undefined || candidate.fitness > best.fitness)) {
      const value = candidate.metrics?.[metric];
      best = { fitness: candidate.fitness, value: typeof value === 'number' ? value : null };
    }
    if (best) points.push({ evaluations, fitness: best.fitness, value: best.value });
  }
  return points;
}

/** The anytime curve's value at `evaluations` (the last point at or before it), if any. */
export function anytimeAt(curve: readonly AnytimePoint[], evaluations: number): AnytimePoint | undefined {
  let found: AnytimePoint | undefined;
  for (const point of curve) {
    if (point.evaluations > evaluations) break;
    found = point;
  }
  return found;
}
