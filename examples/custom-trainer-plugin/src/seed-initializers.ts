/**
 * Fixes the seed of every weight initialiser in a Layers topology. NASWOT scores a network at
 * initialisation, so unseeded initialisers (tfjs draws a fresh seed per layer) would give a
 * different score on every call; with seeds fixed, the same network always gets the same score.
 * Returns a deep copy; the input topology is not changed.
 */
export function seedInitializers(topology: unknown, seed: number): unknown {
  // One seed per initialiser, never 0: tfjs treats a seed of 0 as "no seed" (`seed || Math.random()`).
  let counter = 0;
  const nextSeed = () => {
    let value = seed * 1_000 + ++counter;
    while (value === 0) value = seed * 1_000 + ++counter;
    return value;
  };
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== 'object' || value === null) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) copy[key] = visit(inner);
    // An initialiser serialises as { class_name, config: { ..., seed } }.
    const config = copy.config;
    if (typeof copy.class_name === 'string' && typeof config === 'object' && config !== null && 'seed' in config) {
      copy.config = { ...config, seed: nextSeed() };
    }
    return copy;
  };
  return visit(topology);
}
