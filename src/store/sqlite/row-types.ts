// The SQLite schema (./schema.ts) holds exactly the rows of the repository contracts (see ../row-types.ts).
import type { RowTypesMatch } from "../row-types.ts";
import type * as schema from "./schema.ts";

// Fails to compile when any entry is `false`.
export const rowTypesMatch: RowTypesMatch<typeof schema> = [
  true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true,
];
