// What the map draws: the shown municipalities with their fill and title, grey neighbours around a
// county for context, and the county outlines.
import type { AreaFeature } from '../../api-map';

export interface MapDrawing {
  /** The municipalities shown; the projection is fitted to them. */
  features: AreaFeature[];
  /** A fill per area code: a colour or `url(#pattern)`. */
  fills: Record<string, string>;
  /** The fill of an area without an entry in `fills`. */
  missingFill: string;
  /** A tooltip per area code (its name and figure). */
  titles: Record<string, string>;
  /** Areas drawn in grey around the shown ones (clipped to the frame). */
  context: AreaFeature[];
  /** County outlines drawn on top. */
  outlines: AreaFeature[];
  /** The accessible name of the map image (a summary in words). */
  label: string;
}
