// Which HTTP methods a path answers to, read from the app's own route list: the `Allow` of a 405 answer.

export interface RouteEntry {
  method: string;
  path: string;
}

interface PathMethods {
  pattern: RegExp;
  methods: Set<string>;
}

/** `/v1/teams/:id` -> /^\/v1\/teams\/[^/]+$/; `*` matches the rest of the path. */
function patternOf(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment === "*" ? ".*" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}$`);
}

/** A lookup from a path to the methods routed there (HEAD wherever GET is), sorted; empty for unknown paths. */
export function methodsByPath(routes: readonly RouteEntry[]): (path: string) => string[] {
  const byPath = new Map<string, PathMethods>();
  for (const { method, path } of routes) {
    const entry = byPath.get(path) ?? { pattern: patternOf(path), methods: new Set<string>() };
    entry.methods.add(method.toUpperCase());
    if (method.toUpperCase() === "GET") entry.methods.add("HEAD");
    byPath.set(path, entry);
  }
  const table = [...byPath.values()];
  return (path) => {
    const methods = new Set<string>();
    for (const entry of table) {
      if (entry.pattern.test(path)) for (const method of entry.methods) methods.add(method);
    }
    return [...methods].sort();
  };
}
