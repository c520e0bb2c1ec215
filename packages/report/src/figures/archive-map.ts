import type { Spec as VegaSpec } from 'vega';
import type { ArchiveData } from '../data/archives.js';

const SIZE = 360;
const EMPTY_FILL = '#ececec';

export interface ArchiveMapOptions {
  /** Legend title of the fitness colour scale. */
  colourTitle: string;
}

/**
 * A CVT archive as a map over its two descriptors: the Voronoi cell of every centroid, coloured
 * by its elite's fitness (empty niches light grey), and the elites as dots at their own
 * descriptors. Axes span the descriptors' declared bounds in real units.
 *
 * Niches are nearest centroids in the normalised square [0, 1]^2, so the plot is square: its
 * pixels are then a uniform scaling of the normalised space and Vega's Voronoi transform (which
 * runs on pixel positions) draws exactly the archive's niches.
 */
export function archiveMapSpec(archive: ArchiveData, options: ArchiveMapOptions): VegaSpec {
  const [xAxis, yAxis] = archive.axes;
  if (!xAxis || !yAxis) throw new Error(`an archive map needs two descriptors; this archive has ${archive.axes.length}`);
  const fitnesses = archive.elites.map((e) => e.fitness);
  const low = fitnesses.length > 0 ? Math.min(...fitnesses) : 0;
  const high = fitnesses.length > 0 ? Math.max(...fitnesses) : 1;
  // A single fitness value still needs a non-empty colour domain.
  const colourDomain = low === high ? [low - 0.5, high + 0.5] : [low, high];
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: SIZE,
    height: SIZE,
    padding: 8,
    autosize: 'pad',
    background: 'white',
    data: [
      {
        name: 'cells',
        values: archive.cells,
        transform: [
          { type: 'formula', as: 'px', expr: "scale('x', datum.cx)" },
          { type: 'formula', as: 'py', expr: "scale('y', datum.cy)" },
          { type: 'voronoi', x: 'px', y: 'py', extent: { signal: '[[0, 0], [width, height]]' } },
        ],
      },
      { name: 'elites', values: archive.elites },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: xAxis.domain, range: 'width', zero: false, nice: false },
      { name: 'y', type: 'linear', domain: yAxis.domain, range: 'height', zero: false, nice: false },
      { name: 'colour', type: 'linear', domain: colourDomain, range: { scheme: 'viridis' }, zero: false },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: xAxis.label, labelFontSize: 11, titleFontSize: 12, tickCount: 6 },
      { orient: 'left', scale: 'y', title: yAxis.label, labelFontSize: 11, titleFontSize: 12, tickCount: 6 },
    ],
    legends:
      archive.elites.length > 0
        ? [{ fill: 'colour', type: 'gradient', title: options.colourTitle, titleLimit: 300, titleFontSize: 12, labelFontSize: 11, gradientLength: SIZE - 60 }]
        : [],
    marks: [
      {
        type: 'path',
        name: 'niche-cells',
        from: { data: 'cells' },
        encode: {
          update: {
            path: { field: 'path' },
            fill: [{ test: 'datum.fitness === null', value: EMPTY_FILL }, { scale: 'colour', field: 'fitness' }],
            stroke: { value: '#ffffff' },
            strokeWidth: { value: 1 },
          },
        },
      },
      {
        type: 'symbol',
        name: 'elite-dots',
        from: { data: 'elites' },
        encode: {
          update: {
            x: { scale: 'x', field: 'x' },
            y: { scale: 'y', field: 'y' },
            size: { value: 14 },
            fill: { value: '#111111' },
            stroke: { value: '#ffffff' },
            strokeWidth: { value: 0.5 },
          },
        },
      },
    ],
  };
}
