// Logged request and response bodies on Postgres (teams with log_all_requests), already redacted by the writer.
import type { SQL } from "bun";
import { desc, eq } from "drizzle-orm";
import type { RequestLog, RequestLogsRepo, StoredRequestLog } from "../repositories/request-logs.ts";
import type { PgDb } from "./database.ts";
import { requestLogs } from "./schema.ts";

/** 12 columns a row: 4,000 rows stay well below the 65,535 parameters one statement may carry. */
const ROWS_PER_INSERT = 4_000;

export function requestLogsRepo(db: PgDb, _sql: SQL): RequestLogsRepo {
  return {
    /** Multi-row INSERTs of up to ROWS_PER_INSERT rows (Postgres takes at most 65,535 parameters), all or nothing. */
    async insertMany(rows: RequestLog[]): Promise<void> {
      if (rows.length === 0) return;
      if (rows.length <= ROWS_PER_INSERT) {
        await db.insert(requestLogs).values(rows);
        return;
      }
      await db.transaction(async (tx) => {
        for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
          await tx.insert(requestLogs).values(rows.slice(start, start + ROWS_PER_INSERT));
        }
      });
    },
    /** A team's logs, newest first. */
    async list(teamId: string, limit: number): Promise<StoredRequestLog[]> {
      return db.select().from(requestLogs).where(eq(requestLogs.teamId, teamId)).orderBy(desc(requestLogs.id)).limit(limit);
    },
  };
}
