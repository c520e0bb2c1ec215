import { describe, expect, it } from 'vitest';
import { CVTArchive, type CVTArchiveSnapshot } from '../src/archive/cvt-archive.js';
import { Rng } from '../src/rng/rng.js';

interface Net {
  id: string;
  code: string;
}

function filledArchive(): CVTArchive<Net> {
  const archive = new CVTArchive<Net>({
    bounds: [
      [0, 200],
      [2e8, 5e9],
    ],
    niches: 40,
    seed: 13,
    samples: 4_000,
    qdOffset: -0.5,
  });
  const rng = Rng.derive(13, 'fill');
  for (let i = 0; i < 300; i++) {
    // A few fall outside the bounds, so the clipping counter is exercised.
    const descriptors = [rng.uniform(-20, 220), rng.uniform(1e8, 5.5e9)];
    archive.add(descriptors, Math.round(rng.float() * 20) / 20, { id: `n${i}`, code: `net ${i}` });
  }
  const first = archive.elites()[0] as { niche: number };
  archive.update(first.niche, (e) => ({ ...e, fitness: 2, payload: { ...e.payload, code: 'edited' } }));
  return archive;
}

function roundTrip<T>(archive: CVTArchive<T>): CVTArchive<T> {
  return CVTArchive.fromJSON(JSON.parse(JSON.stringify(archive)) as CVTArchiveSnapshot<T>);
}

describe('CVTArchive save and restore', () => {
  it('restores an identical archive from JSON: centroids, elites, counters, scores', () => {
    const archive = filledArchive();
    const restored = roundTrip(archive);
    expect(restored.toJSON()).toEqual(archive.toJSON());
    expect(restored.centroids).toEqual(archive.centroids);
    expect(restored.elites()).toEqual(archive.elites());
    expect(restored.counters).toEqual(archive.counters);
    expect(restored.clippedCount).toBeGreaterThan(0);
    expect(restored.clippedCount).toBe(archive.clippedCount);
    expect(restored.qdScore).toBe(archive.qdScore);
    expect(restored.coverage).toBe(archive.coverage);
    expect(restored.best()).toEqual(archive.best());
    expect(restored.centroidOrigin).toBe('given');
  });

  it('samples and accepts exactly as the saved archive would have', () => {
    const archive = filledArchive();
    const restored = roundTrip(archive);
    const a = Rng.derive(1, 'after');
    const b = Rng.derive(1, 'after');
    for (let i = 0; i < 200; i++) expect(restored.sample(b)).toEqual(archive.sample(a));
    const offers = Rng.derive(2, 'offers');
    for (let i = 0; i < 200; i++) {
      const descriptors = [offers.uniform(0, 200), offers.uniform(2e8, 5e9)];
      const fitness = offers.float();
      expect(restored.add(descriptors, fitness, { id: `m${i}`, code: '' })).toEqual(
        archive.add(descriptors, fitness, { id: `m${i}`, code: '' }),
      );
    }
    expect(restored.toJSON()).toEqual(archive.toJSON());
  });

  it('produces plain JSON', () => {
    const snapshot = filledArchive().toJSON();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot.format).toBe('llmatic/cvt-archive');
    expect(snapshot.centroids).toHaveLength(40);
  });

  it('runs an optional payload check on restore', () => {
    const snapshot = JSON.parse(JSON.stringify(filledArchive())) as CVTArchiveSnapshot<Net>;
    const restored = CVTArchive.fromJSON(snapshot, (raw) => ({ ...(raw as Net), id: `restored-${(raw as Net).id}` }));
    expect(restored.elites().every((e) => e.payload.id.startsWith('restored-'))).toBe(true);
    expect(() =>
      CVTArchive.fromJSON(snapshot, () => {
        throw new Error('payload is not a Net');
      }),
    ).toThrow(/payload is not a Net/);
  });

  it('rejects what is not a snapshot, naming the bad fields', () => {
    expect(() => CVTArchive.fromJSON({} as CVTArchiveSnapshot<Net>)).toThrow(/not a CVT archive snapshot[\s\S]*format/);
    const snapshot = filledArchive().toJSON();
    expect(() => CVTArchive.fromJSON({ ...snapshot, niches: 0 })).toThrow(/niches/);
    expect(() => CVTArchive.fromJSON({ ...snapshot, centroids: snapshot.centroids.slice(1) })).toThrow(/39 centroids for 40 niches/);
  });

  it('rejects an elite stored in the wrong niche or twice', () => {
    const snapshot = filledArchive().toJSON();
    const [first, second] = snapshot.elites as [CVTArchiveSnapshot<Net>['elites'][number], CVTArchiveSnapshot<Net>['elites'][number]];
    const moved = { ...snapshot, elites: [{ ...first, niche: second.niche }, ...snapshot.elites.slice(1)] };
    expect(() => CVTArchive.fromJSON(moved)).toThrow(/corrupt or was edited/);
    const twice = { ...snapshot, elites: [first, first] };
    expect(() => CVTArchive.fromJSON(twice)).toThrow(/repeats a niche/);
  });
});
