// The choropleth of the municipalities. The drawing (Observable Plot's geo mark) is loaded on
// demand; the SVG is an image with a summary as its name, and the page's table below holds the
// same numbers (the keyboard and screen-reader path).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useWidth } from '../../hooks';
import { useI18n } from '../../i18n';
import type { MapDrawing } from './map-types';

export type { MapDrawing } from './map-types';

interface Props {
  drawing: MapDrawing;
  /** The tallest the map may be, in pixels. */
  maxHeight: number;
}

export function MapChart({ drawing, maxHeight }: Props) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const [failed, setFailed] = useState<unknown>(undefined);

  useEffect(() => {
    const element = box.current;
    if (!element || width <= 0) return;
    let cancelled = false;
    import('./map-render').then(
      ({ renderMap }) => {
        if (cancelled) return;
        try {
          element.replaceChildren(renderMap(drawing, width, maxHeight));
          setFailed(undefined);
        } catch (error) {
          setFailed(error);
        }
      },
      (error: unknown) => {
        if (!cancelled) setFailed(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [drawing, width, maxHeight]);

  return (
    <>
      <div class="map-box" ref={box} data-testid="map" />
      {failed !== undefined && (
        <p role="alert">{t('map.chartFailed', { message: String(failed) })}</p>
      )}
    </>
  );
}
