// A small path router over the History API: real paths, no hash.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  path: string;
  query: URLSearchParams;
}

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function currentRoute(): Route {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

/** Goes to a path of this app (`/cases?status=detained`), adding a history entry unless `replace`. */
export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (path === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.scrollTo(0, 0);
  notify();
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return route;
}

/** Matches `/cases/:id` against a path; answers the decoded parameters, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}

export interface LinkProps {
  href: string;
  children?: ComponentChildren;
  class?: string;
  title?: string;
  'aria-label'?: string;
  onClick?: (e: MouseEvent) => void;
}

/** An anchor that navigates in the app (a modified click still opens a new tab as usual). */
export function Link({ href, children, onClick, ...rest }: LinkProps) {
  const route = useRoute();
  const current = route.path === href ? { 'aria-current': 'page' as const } : {};
  return (
    <a
      href={href}
      {...current}
      {...rest}
      onClick={(e: MouseEvent) => {
        onClick?.(e);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
