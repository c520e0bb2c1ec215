import { describe, expect, it } from 'vitest';
import { ArchivePromptPool, CVTArchive, Rng, type Checkpoint, type GenerationStats, type RunManifest } from '@llmatic/core';
import { archiveMapSpec, archivesOf, renderVega } from '@llmatic/report';

const manifest: RunManifest = {
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  configPath: null,
  seed: 0,
  generations: 1,
  batchSize: 1,
  strategy: { name: 'test', options: {} },
  space: 'toy',
  language: 'toy',
  evaluator: 'toy',
  llm: null,
  descriptors: [
    { name: 'flops', label: 'FLOPs (M)', bounds: [8, 220] },
    { name: 'skips', label: 'skip connections', bounds: [0, 6] },
  ],
  niches: 40,
  promptStyle: 'chat',
};

const stats = {} as GenerationStats;
const checkpoint = (strategy: unknown, resultArchive: unknown): Checkpoint => ({ generation: 0, strategy, resultArchive, stats });

function filledArchive(): CVTArchive<{ id: string }> {
  const archive = new CVTArchive<{ id: string }>({ bounds: [[8, 220], [0, 6]], niches: 40, seed: 11, samples: 4000 });
  const rng = Rng.fromSeed(3);
  for (let i = 0; i < 60; i++) archive.add([rng.uniform(9, 219), rng.uniform(0.01, 5.99)], rng.uniform(80, 94), { id: `g0-${i}` });
  // One beyond the bounds: the archive clips it to the edge.
  archive.add([400, 3.3], 99, { id: 'g0-60' });
  return archive;
}

/** The polygons of the map's niche cells, in niche order, from Vega's SVG. */
function cellPolygons(svg: string): [number, number][][] {
  const group = svg.split('class="mark-path role-mark niche-cells"')[1]?.split('</g>')[0] ?? '';
  return [...group.matchAll(/<path[^>]* d="M([^"]+)Z"/g)].map((m) =>
    (m[1] ?? '').split('L').map((pair) => pair.split(',').map(Number) as [number, number]),
  );
}

function inside([x, y]: [number, number], polygon: [number, number][]): boolean {
  let hit = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] ?? [0, 0];
    const [xj, yj] = polygon[j] ?? [0, 0];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

describe('archive maps', () => {
  it('place centroids and elites in the descriptors real units', () => {
    const archive = filledArchive();
    const data = archivesOf(manifest, checkpoint({}, archive.toJSON())).networks;
    expect(data?.source).toBe('results');
    expect(data?.axes).toEqual([
      { label: 'FLOPs (M)', domain: [8, 220] },
      { label: 'skip connections', domain: [0, 6] },
    ]);
    expect(data?.cells).toHaveLength(40);
    const centroid = archive.centroids[7] ?? [0, 0];
    expect(data?.cells[7]?.cx).toBeCloseTo(8 + (centroid[0] ?? 0) * 212, 10);
    expect(data?.cells[7]?.cy).toBeCloseTo((centroid[1] ?? 0) * 6, 10);
    expect(data?.elites).toHaveLength(archive.size);
    expect(data?.coverage).toBeCloseTo(archive.coverage, 12);
    expect(data?.qdScore).toBeCloseTo(archive.qdScore, 8);
    // Descriptors beyond the bounds are drawn at the edge, as the archive clipped them.
    expect(data?.elites.find((e) => e.id === 'g0-60')?.x).toBe(220);
  });

  it('draw every niche as its Voronoi cell: elites inside their own cell, empty cells grey', async () => {
    const archive = filledArchive();
    const data = archivesOf(manifest, checkpoint({}, archive.toJSON())).networks!;
    const svg = await renderVega(archiveMapSpec(data, { colourTitle: 'fitness' }));
    const polygons = cellPolygons(svg);
    expect(polygons).toHaveLength(40);
    const fills = [...(svg.split('niche-cells"')[1]?.split('</g>')[0] ?? '').matchAll(/fill="([^"]+)"/g)].map((m) => m[1]);
    expect(fills.filter((f) => f === '#ececec')).toHaveLength(40 - archive.size);
    for (const elite of archive.elites()) {
      const [u, v] = elite.normalized;
      if (u === 1) continue; // clipped onto the frame: on the cell's border, not inside it
      const pixel: [number, number] = [(u ?? 0) * 360, 360 - (v ?? 0) * 360];
      expect(inside(pixel, polygons[elite.niche] ?? []), `elite of niche ${elite.niche} in its cell`).toBe(true);
    }
    expect(svg).toContain('FLOPs (M)');
    expect(svg).toContain('skip connections');
  });

  it("reads LLMatic's network and prompt archives from the strategy snapshot", () => {
    const networks = new CVTArchive<{ id: string; code: string }>({ bounds: [[8, 220], [0, 6]], niches: 10, seed: 1, samples: 1000 });
    networks.add([50, 2], 90, { id: 'g1-3', code: 'x' });
    const prompts = new CVTArchive<{ promptId: number; temperature: number }>({ bounds: [[0, 1], [0, 1]], niches: 10, seed: 2, samples: 1000 });
    prompts.add([12 / 16, 0.7], 3, { promptId: 12, temperature: 0.7 });
    const result = archivesOf(manifest, checkpoint({ networks: networks.toJSON(), prompts: prompts.toJSON(), previousBest: 90 }, filledArchive().toJSON()));
    expect(result.networks?.source).toBe('networks');
    expect(result.networks?.elites.map((e) => e.id)).toEqual(['g1-3']);
    expect(result.prompts?.axes[0]).toEqual({ label: 'mutation prompt id (of 16)', domain: [0, 16] });
    expect(result.prompts?.elites[0]).toMatchObject({ x: 12, y: 0.7, fitness: 3, label: 'prompt 12' });
  });

  it('reads the grid prompt archive with its bandit (prompt ids as categories)', () => {
    const pool = ArchivePromptPool.create(16, 6, 1);
    pool.credit(
      { individual: { promptId: 12, temperature: 0.7, nextTemperature: 0.7, curiosity: 0, fitness: 0, origin: 'fresh' } },
      { offspringId: 'g1-0', temperature: 0.7, curiosity: 1, good: true, improved: true, step: 0.05, range: [0.1, 1] },
    );
    const result = archivesOf(manifest, checkpoint({ networks: filledArchive().toJSON(), prompts: pool.snapshot(), previousBest: 90 }, filledArchive().toJSON()));
    expect(result.prompts?.axes[0]).toEqual({ label: 'mutation prompt id (of 16)', domain: [0, 16] });
    expect(result.prompts?.cells).toHaveLength(96);
    expect(result.prompts?.elites[0]).toMatchObject({ x: 12.5, y: 0.7, fitness: 1, label: 'prompt 12' });
  });
});
