// The choropleth drawing with Observable Plot's geo mark. Loaded lazily (dynamic import) by
// MapChart so that the first load of the application stays small.
import * as Plot from '@observablehq/plot';
import type { AreaFeature } from '../../api-map';
import type { MapDrawing } from './map-types';

type Ring = [number, number][];

/** Twice the ring's signed area on the longitude/latitude plane (> 0: counter-clockwise). */
function signedArea(ring: Ring): number {
  let sum = 0;
  for (let idx = 0, prev = ring.length - 1; idx < ring.length; prev = idx, idx += 1)
    sum += (ring[prev][0] - ring[idx][0]) * (ring[prev][1] + ring[idx][1]);
  return sum;
}

function rewindPolygon(rings: Ring[]): Ring[] {
  return rings.map((ring, idx) => {
    const area = signedArea(ring);
    // d3-geo (Plot) reads polygons on the sphere: an outer ring must run clockwise and a hole
    // counter-clockwise, the opposite of GeoJSON's RFC 7946 rule; otherwise a municipality is
    // the whole globe without it.
    const wrong = idx === 0 ? area > 0 : area < 0;
    return wrong ? [...ring].reverse() : ring;
  });
}

const rewound = new WeakMap<AreaFeature, AreaFeature>();

/** The feature with its rings in d3-geo's winding order (memoised per feature object). */
function rewind(feature: AreaFeature): AreaFeature {
  let done = rewound.get(feature);
  if (!done) {
    const geometry = feature.geometry;
    const coordinates =
      geometry.type === 'Polygon'
        ? rewindPolygon(geometry.coordinates as Ring[])
        : (geometry.coordinates as Ring[][]).map(rewindPolygon);
    done = { ...feature, geometry: { ...geometry, coordinates } };
    rewound.set(feature, done);
  }
  return done;
}

/** Sweden's own projection family (SWEREF 99 TM): transverse Mercator on the 15° E meridian. */
function projection(domain: object) {
  return { type: 'transverse-mercator' as const, rotate: [-15, 0] as [number, number], domain, inset: 4 };
}

function draw(input: MapDrawing, width: number): SVGSVGElement {
  const drawing = {
    ...input,
    features: input.features.map(rewind),
    context: input.context.map(rewind),
    outlines: input.outlines.map(rewind),
  };
  const domain = { type: 'FeatureCollection', features: drawing.features };
  const marks: Plot.Markish[] = [];
  if (drawing.context.length > 0)
    marks.push(
      Plot.geo(drawing.context, { fill: '#eef1f4', stroke: '#aab3bd', strokeWidth: 0.4, clip: 'frame' }),
    );
  marks.push(
    Plot.geo(drawing.features, {
      fill: (f: { id: string }) => drawing.fills[f.id] ?? drawing.missingFill,
      stroke: '#59636e',
      strokeWidth: width < 500 ? 0.3 : 0.45,
      title: (f: { id: string }) => drawing.titles[f.id] ?? f.id,
      className: 'map-areas',
    }),
  );
  if (drawing.outlines.length > 0)
    marks.push(
      Plot.geo(drawing.outlines, {
        fill: 'none',
        stroke: '#1b1f24',
        strokeWidth: drawing.context.length > 0 ? 1.6 : 0.9,
        clip: 'frame',
        className: 'map-outlines',
      }),
    );
  return Plot.plot({
    width,
    margin: 0,
    projection: projection(domain),
    color: { type: 'identity' },
    style: { background: 'transparent', overflow: 'visible' },
    marks,
  }) as SVGSVGElement;
}

/**
 * The map as an SVG no taller than `maxHeight` (a tall country: the width shrinks to fit), with
 * `role="img"` and `label` as its accessible name.
 */
export function renderMap(drawing: MapDrawing, width: number, maxHeight: number): SVGSVGElement {
  let svg = draw(drawing, width);
  const height = Number(svg.getAttribute('height'));
  if (height > maxHeight) svg = draw(drawing, Math.max(120, Math.floor((width * maxHeight) / height)));
  // The image is one picture with one name: Plot's labels of its groups go.
  for (const element of svg.querySelectorAll('[aria-label], [aria-description]')) {
    element.removeAttribute('aria-label');
    element.removeAttribute('aria-description');
  }
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', drawing.label);
  svg.setAttribute('data-testid', 'map-svg');
  return svg;
}
