import type { Spec as VegaSpec } from 'vega';
import type { TopLevelSpec as VegaLiteSpec } from 'vega-lite';

/** A figure of a report: a Vega-Lite spec (most) or a Vega spec (maps: Vega-Lite has no Voronoi). */
export interface Figure {
  /** File-name friendly id, e.g. `best-fitness`. */
  id: string;
  title: string;
  /** One or two sentences under the figure: what it shows and how to read it. */
  caption: string;
  spec: { kind: 'vega-lite'; spec: VegaLiteSpec } | { kind: 'vega'; spec: VegaSpec };
}

/** A figure rendered to SVG. */
export interface RenderedFigure extends Figure {
  svg: string;
}
