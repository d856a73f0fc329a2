// The dashboard's files, held in memory: the ones `npm run build` embedded in the binary (prebuilt-assets.json,
// written only for the compile), or else bundled from app/ once, on first use, and kept.
import { bundleDashboard } from "./bundle.ts";

export interface DashboardAsset {
  /** File name with its content hash, like main-1a2b3c.js. */
  name: string;
  type: string;
  body: string;
}

export interface DashboardBundle {
  /** The entry script's and stylesheet's names. */
  script: string;
  style: string;
  files: Map<string, DashboardAsset>;
}

async function prebuilt(): Promise<DashboardAsset[] | undefined> {
  try {
    const module = await import("./prebuilt-assets.json", { with: { type: "json" } });
    return module.default.assets;
  } catch {
    return undefined;
  }
}

function bundleOf(assets: DashboardAsset[]): DashboardBundle {
  const script = assets.find((a) => a.name.endsWith(".js"));
  const style = assets.find((a) => a.name.endsWith(".css"));
  if (!script || !style) throw new Error("the dashboard bundle lacks its script or stylesheet");
  return { script: script.name, style: style.name, files: new Map(assets.map((a) => [a.name, a])) };
}

let loading: Promise<DashboardBundle> | undefined;

/** The dashboard's files (embedded, or bundled on the first call and kept in memory). */
export function dashboardBundle(): Promise<DashboardBundle> {
  loading ??= (async () => bundleOf((await prebuilt()) ?? (await bundleDashboard())))();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** The one HTML page: the stylesheet and the module script, nothing inline (the CSP forbids it). */
export function shellHtml(bundle: DashboardBundle, basePath: string): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>keyway</title>",
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${basePath}/assets/${bundle.style}">`,
    `<script type="module" src="${basePath}/assets/${bundle.script}"></script>`,
    "</head>",
    '<body><div id="app"></div><noscript>The keyway dashboard needs JavaScript.</noscript></body>',
    "</html>",
    "",
  ].join("\n");
}
