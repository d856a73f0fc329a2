// An API call must name its Host (HTTP/1.1 requires it; probes such as /health answer without one, as load
// balancers' HTTP/1.0 checks expect): the refusal, in the OpenAI shape.
import { GatewayError } from "../core/errors.ts";
import { requestIdOf } from "./context.ts";
import { errorResponse } from "./error-response.ts";

export function refusalWithoutHost(request: Request): Response {
  const error = new GatewayError("invalid_request", "The request has no Host header; send one (HTTP/1.1 requires it).");
  return errorResponse(error, { "x-request-id": requestIdOf(request) });
}
