// The headers every answer carries: who answered, whether a BYOK key paid, how many attempts it took; and its content type.
import type { Candidate } from "../plugins/sdk.ts";

export function gatewayHeaders(requestId: string, candidate: Candidate | undefined, attempts: number, dropped?: string[]): Record<string, string> {
  const headers: Record<string, string> = { "x-request-id": requestId, "x-keyway-attempts": String(attempts) };
  if (candidate) {
    const byok = candidate.keySource !== "platform";
    headers["x-provider-used"] = candidate.provider;
    headers["x-byok-used"] = String(byok);
    if (byok) headers["x-ratelimit-bypass"] = "BYOK API key used";
  }
  if (dropped && dropped.length > 0) headers["x-keyway-dropped-params"] = dropped.join(",");
  return headers;
}

/** An answer's headers: keyway's for the call (`answer.headers`, made for this answer alone) with its content type. */
export function answerHeaders(answer: { headers: Record<string, string> }, contentType: string): Record<string, string> {
  answer.headers["content-type"] = contentType;
  return answer.headers;
}
