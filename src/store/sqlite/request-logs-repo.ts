// Logged request and response bodies (teams with log_all_requests), already redacted by the writer.
import { desc, eq } from "drizzle-orm";
import type { Db } from "./database.ts";
import { requestLogs } from "./schema.ts";
import { preparedInsert } from "./table-sql.ts";
import type { RequestLog, RequestLogsRepo, StoredRequestLog } from "../repositories/request-logs.ts";

export function requestLogsRepo(db: Db): RequestLogsRepo {
  // Batches of a team's logged calls arrive every half second under load: cached prepared statements, as for usage rows.
  const insertAll = preparedInsert(db.$client, requestLogs);
  return {
    async insertMany(rows: RequestLog[]): Promise<void> {
      if (rows.length > 0) insertAll(rows);
    },
    async list(teamId: string, limit: number): Promise<StoredRequestLog[]> {
      return db.select().from(requestLogs).where(eq(requestLogs.teamId, teamId)).orderBy(desc(requestLogs.id)).limit(limit).all();
    },
  };
}

