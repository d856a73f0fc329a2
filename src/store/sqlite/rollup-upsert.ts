// The one statement that adds a batch's rollups to the stored ones: a cached prepared upsert per distinct key,
// run inside the caller's transaction (the raw rows' insert, or a rebuild slice).
import type { Database } from "bun:sqlite";
import { LATENCY_BUCKETS } from "../usage-rollup.ts";
import type { UsageRollup } from "../repositories/usage-rollups.ts";
import { usageRollups } from "./schema.ts";
import { sqlNames } from "./table-sql.ts";

const KEY = ["hour", "accountId", "teamId", "projectTag", "provider", "model", "keySource"] as const;
const SUMS = ["requests", "errors", "inputTokens", "outputTokens", "costMicros", "listCostMicros", "latencyMsSum"] as const;

export function preparedRollupUpsert(sqlite: Database): (rollups: readonly UsageRollup[]) => void {
  const { table, column } = sqlNames(usageRollups);
  const histogram = column.latencyHistogram;
  // Bucket by bucket; the bucket list is fixed, so the expression is built once.
  const mergedHistogram = `json_array(${Array.from(
    { length: LATENCY_BUCKETS },
    (_, i) => `COALESCE(json_extract(${histogram}, '$[${i}]'), 0) + COALESCE(json_extract(excluded.${histogram}, '$[${i}]'), 0)`,
  ).join(", ")})`;
  const columns = [...KEY, ...SUMS].map((key) => column[key]);
  const statement = sqlite.prepare<never, (string | number)[]>(
    `INSERT INTO ${table} (${columns.join(", ")}, ${histogram}) VALUES (${columns.map(() => "?").join(", ")}, ?)
     ON CONFLICT (${KEY.map((key) => column[key]).join(", ")}) DO UPDATE SET
     ${SUMS.map((key) => `${column[key]} = ${column[key]} + excluded.${column[key]}`).join(", ")}, ${histogram} = ${mergedHistogram}`,
  );
  return (rollups) => {
    for (const rollup of rollups) {
      statement.run(...KEY.map((key) => rollup[key]), ...SUMS.map((key) => rollup[key]), JSON.stringify(rollup.latencyHistogram));
    }
  };
}
