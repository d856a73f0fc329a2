// Writes and removes prebuilt-assets.json, the dashboard bundle `npm run build` embeds in the binary. It exists only
// while the binary is compiled, so a checkout always serves its current app/ sources.
import { rmSync, writeFileSync } from "node:fs";
import { bundleDashboard } from "./bundle.ts";

export const PREBUILT_PATH = new URL("./prebuilt-assets.json", import.meta.url).pathname;

/** Bundles the dashboard into prebuilt-assets.json; returns the bundle's size in bytes. */
export async function writePrebuiltDashboard(): Promise<number> {
  const assets = await bundleDashboard();
  writeFileSync(PREBUILT_PATH, JSON.stringify({ assets }));
  return assets.reduce((sum, asset) => sum + Buffer.byteLength(asset.body), 0);
}

export function removePrebuiltDashboard(): void {
  rmSync(PREBUILT_PATH, { force: true });
}
