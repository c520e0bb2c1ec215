import { View, parse, type Spec as VegaSpec } from 'vega';
import { compile } from 'vega-lite';
import type { Figure, RenderedFigure } from './figure.js';

/** Renders a Vega spec to an SVG string in Node (headless view, no canvas, no network). */
export async function renderVega(spec: VegaSpec): Promise<string> {
  const view = new View(parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Compiles (Vega-Lite) and renders a figure to SVG; the error names the figure. */
export async function renderFigure(figure: Figure): Promise<RenderedFigure> {
  try {
    const vega = figure.spec.kind === 'vega-lite' ? compile(figure.spec.spec).spec : figure.spec.spec;
    return { ...figure, svg: await renderVega(vega) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`could not render the figure "${figure.title}" (${figure.id}): ${message}`);
  }
}

/**
 * Makes the ids of an SVG unique within a page (Vega names clip paths and gradients `clip1`,
 * `gradient_0`... in every SVG it writes, so two inlined figures would share them).
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}
