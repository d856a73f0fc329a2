import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accepts, alive, canInspectProcesses, descendants, waitFor } from "../helpers/processes.ts";

const ROOT = join(import.meta.dir, "../..");

test.skipIf(!canInspectProcesses)("SIGTERM to `npm start` stops the server it started and frees the port", async () => {
  const dir = mkdtempSync(join(tmpdir(), "keyway-npm-start-"));
  const config = join(dir, "keyway.yaml");
  writeFileSync(config, `server: { port: 0 }\nstorage: { path: ${join(dir, "k.db")} }\nsecurity: { admin_key: kw_npm_start_admin_0000000001, master_key_file: ${join(dir, "master.key")} }\n`);
  const npm = Bun.spawn(["npm", "start", "--silent"], { cwd: ROOT, env: { ...process.env, KEYWAY_CONFIG: config }, stdout: "pipe", stderr: "pipe" });
  let started: number[] = [];
  try {
    const reader = (npm.stdout as ReadableStream<Uint8Array>).getReader();
    let seen = "";
    let url: string | undefined;
    while (!url) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`npm start did not start keyway: ${seen} ${await new Response(npm.stderr as ReadableStream).text()}`);
      seen += new TextDecoder().decode(value);
      url = /"url":"(http:\/\/[^"]+)"/.exec(seen)?.[1];
    }
    const port = Number(new URL(url).port);
    expect((await (await fetch(`${url}/health`)).json()).status).toBe("ok");
    started = descendants(npm.pid);
    expect(started.length).toBeGreaterThan(0);
    expect(seen).not.toContain("BUN_CONFIG_MAX_HTTP_REQUESTS is not set");

    npm.kill("SIGTERM");
    await waitFor(async () => !started.some(alive) && !(await accepts(port)), 8000);
    expect(started.filter(alive)).toEqual([]);
    expect(await accepts(port)).toBe(false);
    await npm.exited;
  } finally {
    npm.kill("SIGKILL");
    for (const pid of started.filter(alive)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
