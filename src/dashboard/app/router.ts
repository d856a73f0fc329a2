// Pages are addressed by the URL's fragment (#/providers), so the one HTML page serves them all.
import { useEffect, useState } from "preact/hooks";

const current = (): string => location.hash.replace(/^#/, "") || "/";

export const href = (path: string): string => `#${path}`;

export function navigate(path: string): void {
  location.hash = path;
}

/** The page path shown now; re-renders on every change. */
export function useRoute(): string {
  const [route, setRoute] = useState(current());
  useEffect(() => {
    const changed = () => setRoute(current());
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}
