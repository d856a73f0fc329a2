// Bundles the dashboard's browser code (app/main.ts, its CSS and uPlot's) with Bun.build, minified, into memory:
// one script and one stylesheet, named by content hash. Used at start-up from a checkout and by `npm run build`.
import type { DashboardAsset } from "./assets.ts";

const ENTRY = new URL("./app/main.ts", import.meta.url).pathname;

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

export async function bundleDashboard(): Promise<DashboardAsset[]> {
  const result = await Bun.build({
    entrypoints: [ENTRY],
    target: "browser",
    format: "esm",
    minify: true,
    splitting: false,
    sourcemap: "none",
    naming: { entry: "[name]-[hash].[ext]", asset: "[name]-[hash].[ext]", chunk: "[name]-[hash].[ext]" },
    define: { "process.env.NODE_ENV": '"production"' },
  });
  if (!result.success) throw new Error(`the dashboard did not bundle: ${result.logs.map(String).join("; ")}`);
  const assets: DashboardAsset[] = [];
  for (const output of result.outputs) {
    const name = output.path.split("/").pop() ?? output.path;
    const extension = name.split(".").pop() ?? "";
    const type = TYPES[extension];
    if (type === undefined) throw new Error(`the dashboard bundle holds an unexpected file '${name}'`);
    assets.push({ name, type, body: await output.text() });
  }
  return assets;
}
