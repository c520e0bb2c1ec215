import { cvtArchiveSnapshotSchema, DEFAULT_MUTATIONS, type Checkpoint, type RunManifest } from '@llmatic/core';

/** One axis of an archive map, in the descriptor's real units. */
export interface MapAxis {
  label: string;
  /** Real-unit range the axis spans (the descriptor's declared bounds). */
  domain: [number, number];
}

/** A niche of a 2-D archive: its centroid in real units, and its elite, if any. */
export interface MapCell {
  niche: number;
  /** Centroid in real units. */
  cx: number;
  cy: number;
  fitness: number | null;
  /** The elite's candidate id (network archives) or a label (prompt archives). */
  label: string | null;
}

/** An elite of a 2-D archive at its own descriptors (real units, clipped to the bounds). */
export interface MapElite {
  niche: number;
  x: number;
  y: number;
  fitness: number;
  /** Candidate id, for network archives. */
  id: string | null;
  label: string;
}

/** An archive ready to draw and tabulate. */
export interface ArchiveData {
  /** `networks`, `prompts` or `results` (the run's own result archive). */
  source: 'networks' | 'prompts' | 'results';
  niches: number;
  /** Per descriptor, in real units. */
  axes: MapAxis[];
  cells: MapCell[];
  elites: MapElite[];
  coverage: number;
  qdScore: number;
}

const clip = (value: number, [low, high]: readonly [number, number]) => Math.min(high, Math.max(low, value));
const toReal = (normalised: number, [low, high]: readonly [number, number]) => low + normalised * (high - low);

function payloadId(payload: unknown): string | null {
  const id = (payload as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

/** A network archive (strategy's or result archive) over the run's descriptors. */
function networkArchive(snapshot: unknown, source: 'networks' | 'results', manifest: RunManifest): ArchiveData | undefined {
  const parsed = cvtArchiveSnapshotSchema.safeParse(snapshot);
  if (!parsed.success) return undefined;
  const archive = parsed.data;
  const axes = archive.bounds.map(
    (bounds, i): MapAxis => ({ label: manifest.descriptors[i]?.label ?? `descriptor ${i + 1}`, domain: [bounds[0], bounds[1]] }),
  );
  const byNiche = new Map(archive.elites.map((elite) => [elite.niche, elite]));
  const cells = archive.centroids.map((centroid, niche): MapCell => {
    const elite = byNiche.get(niche);
    return {
      niche,
      cx: toReal(centroid[0] ?? 0, archive.bounds[0] ?? [0, 1]),
      cy: toReal(centroid[1] ?? 0, archive.bounds[1] ?? [0, 1]),
      fitness: elite?.fitness ?? null,
      label: elite ? payloadId(elite.payload) : null,
    };
  });
  const elites = archive.elites.map((elite): MapElite => {
    const id = payloadId(elite.payload);
    return {
      niche: elite.niche,
      x: clip(elite.descriptors[0] ?? 0, archive.bounds[0] ?? [0, 1]),
      y: clip(elite.descriptors[1] ?? 0, archive.bounds[1] ?? [0, 1]),
      fitness: elite.fitness,
      id,
      label: id ?? `niche ${elite.niche}`,
    };
  });
  return summarise(source, archive.niches, axes, cells, elites, archive.qdOffset);
}

interface PromptPayload {
  promptId: number;
  temperature: number;
}

function isPromptPayload(payload: unknown): payload is PromptPayload {
  const p = payload as Partial<PromptPayload> | null;
  return typeof p?.promptId === 'number' && typeof p.temperature === 'number';
}

/**
 * The number of prompts, recovered from an elite's first descriptor: (id + 0.5) / count since the
 * prompt archive became a grid, id / count in runs of earlier releases (whichever gives a whole
 * number).
 */
function promptCountOf(promptId: number, share: number): number | undefined {
  if (!(share > 0)) return undefined;
  const candidates = [(promptId + 0.5) / share, promptId / share].filter((n) => n >= 1);
  const nearest = candidates.sort((a, b) => Math.abs(a - Math.round(a)) - Math.abs(b - Math.round(b)))[0];
  return nearest === undefined ? undefined : Math.round(nearest);
}

/**
 * The prompt archive (a CVT snapshot, or `{ archive, bandit }` since the instruction bandit). The
 * map shows prompt ids, so the number of prompts is recovered from the elites, or is the default
 * instruction count when no elite tells.
 */
function promptArchive(snapshot: unknown): ArchiveData | undefined {
  const inner = typeof snapshot === 'object' && snapshot !== null && 'archive' in snapshot ? (snapshot as { archive: unknown }).archive : snapshot;
  const parsed = cvtArchiveSnapshotSchema.safeParse(inner);
  if (!parsed.success) return undefined;
  const archive = parsed.data;
  let promptCount: number = DEFAULT_MUTATIONS.length;
  for (const elite of archive.elites) {
    const count = isPromptPayload(elite.payload) ? promptCountOf(elite.payload.promptId, elite.descriptors[0] ?? 0) : undefined;
    if (count !== undefined) {
      promptCount = count;
      break;
    }
  }
  const xBounds: [number, number] = archive.bounds[0] ?? [0, 1];
  const yBounds: [number, number] = archive.bounds[1] ?? [0, 1];
  const xReal = (share: number) => share * promptCount;
  const axes: MapAxis[] = [
    { label: `mutation prompt id (of ${promptCount})`, domain: [xReal(xBounds[0]), xReal(xBounds[1])] },
    { label: 'temperature', domain: [yBounds[0], yBounds[1]] },
  ];
  const byNiche = new Map(archive.elites.map((elite) => [elite.niche, elite]));
  const cells = archive.centroids.map((centroid, niche): MapCell => {
    const elite = byNiche.get(niche);
    return {
      niche,
      cx: xReal(toReal(centroid[0] ?? 0, xBounds)),
      cy: toReal(centroid[1] ?? 0, yBounds),
      fitness: elite?.fitness ?? null,
      label: elite && isPromptPayload(elite.payload) ? `prompt ${elite.payload.promptId}` : null,
    };
  });
  const elites = archive.elites.map((elite): MapElite => {
    const promptId = isPromptPayload(elite.payload) ? elite.payload.promptId : null;
    return {
      niche: elite.niche,
      x: xReal(clip(elite.descriptors[0] ?? 0, xBounds)),
      y: clip(elite.descriptors[1] ?? 0, yBounds),
      fitness: elite.fitness,
      id: null,
      label: promptId === null ? `niche ${elite.niche}` : `prompt ${promptId}`,
    };
  });
  return summarise('prompts', archive.niches, axes, cells, elites, archive.qdOffset);
}

function summarise(
  source: ArchiveData['source'],
  niches: number,
  axes: MapAxis[],
  cells: MapCell[],
  elites: MapElite[],
  qdOffset: number,
): ArchiveData {
  return {
    source,
    niches,
    axes,
    cells,
    elites,
    coverage: elites.length / niches,
    qdScore: elites.reduce((sum, elite) => sum + elite.fitness - qdOffset, 0),
  };
}

/**
 * The archives a report maps, from the last checkpoint: the strategy's own network and prompt
 * archives when it keeps CVT archives (LLMatic), otherwise the run's result archive (every
 * strategy has one: each valid offspring is offered to it).
 */
export function archivesOf(
  manifest: RunManifest,
  checkpoint: Checkpoint | undefined,
): { networks: ArchiveData | undefined; prompts: ArchiveData | undefined } {
  if (!checkpoint) return { networks: undefined, prompts: undefined };
  const strategy = (typeof checkpoint.strategy === 'object' && checkpoint.strategy !== null ? checkpoint.strategy : {}) as Record<
    string,
    unknown
  >;
  const networks = networkArchive(strategy.networks, 'networks', manifest) ?? networkArchive(checkpoint.resultArchive, 'results', manifest);
  return { networks, prompts: promptArchive(strategy.prompts) };
}
