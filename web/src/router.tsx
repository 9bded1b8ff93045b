// A small router on the History API. All state lives in the URL: the path picks the page, the
// query string holds the rest (`lang` among it). Links keep `lang` when they navigate.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { defaultLang, parseLang, type Lang } from './i18n';

export interface Location {
  path: string;
  query: URLSearchParams;
  lang: Lang;
}

function current(): Location {
  const query = new URLSearchParams(window.location.search);
  return { path: window.location.pathname, query, lang: parseLang(query.get('lang')) };
}

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', notify);

export function navigate(href: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  notify();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const listener = () => setLocation(current());
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return location;
}

/**
 * The address of `path` with `params`, keeping `lang` (left out when it is the default, so the
 * Swedish addresses stay short). A `null` parameter is removed.
 */
export function hrefFor(
  path: string,
  lang: Lang,
  params: Record<string, string | number | null> = {},
): string {
  const query = new URLSearchParams();
  if (lang !== defaultLang) query.set('lang', lang);
  for (const [name, value] of Object.entries(params)) {
    if (value === null) query.delete(name);
    else query.set(name, String(value));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** The current address with another language, everything else kept. */
export function hrefWithLang(location: Location, lang: Lang): string {
  const query = new URLSearchParams(location.query);
  if (lang === defaultLang) query.delete('lang');
  else query.set('lang', lang);
  const search = query.toString();
  return search ? `${location.path}?${search}` : location.path;
}

type LinkProps = Omit<JSX.AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  href: string;
  children?: ComponentChildren;
};

/** An ordinary link that navigates without a page load (modified clicks still open tabs). */
export function Link({ href, onClick, ...rest }: LinkProps) {
  const handle = (event: JSX.TargetedMouseEvent<HTMLAnchorElement>) => {
    if (typeof onClick === 'function') onClick(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
