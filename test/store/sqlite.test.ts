// The store contract on the SQLite driver, over a temporary database file.
import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { storeContract } from "./store.contract.ts";

const dir = mkdtempSync(join(tmpdir(), "keyway-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract("sqlite", () => openStore(join(dir, "keyway.db")));
