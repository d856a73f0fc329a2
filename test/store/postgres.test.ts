// The store contract on the Postgres driver, against the real server, in a fresh schema dropped afterwards.
import { afterAll } from "bun:test";
import { openPostgresStore } from "../../src/store/postgres/open-store.ts";
import { freshPostgresSchema, POSTGRES_URL } from "../helpers/postgres.ts";
import { storeContract } from "./store.contract.ts";

const fresh = await freshPostgresSchema("contract");
afterAll(() => fresh.drop());

storeContract("postgres", () => openPostgresStore({ url: POSTGRES_URL, schema: fresh.schema, poolSize: 4 }));
