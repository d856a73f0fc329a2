// What a route answered by Bun's router is given, and the Host rule API calls keep there as in the control plane.
import type { ClientAddress } from "../core/call.ts";
import { type AppDeps, requestIdOf } from "./context.ts";
import { asGatewayError, errorResponse } from "./error-response.ts";
import { refusalWithoutHost } from "./host-check.ts";

/** The listening server, as a handler sees it: only the peer's address is read (absent when answering in-process). */
export interface PeerServer {
  requestIP(request: Request): { address: string } | null;
}

/** The caller's address as a route reads it: from the socket (a system call), once, and only when something asks. */
export class PeerAddress implements ClientAddress {
  #read = false;
  #address: string | undefined;

  constructor(
    private readonly request: Request,
    private readonly server: PeerServer | null,
  ) {}

  get address(): string | undefined {
    if (!this.#read) {
      this.#read = true;
      this.#address = this.server?.requestIP(this.request)?.address;
    }
    return this.#address;
  }
}

export type NativeHandler = (request: Request, server: PeerServer | null) => Promise<Response> | Response;

export type NativeMethod = "GET" | "POST";

/** Path (Bun's syntax: `*` for the rest of the path) -> method -> handler. */
export type NativeRoutes = Record<string, Partial<Record<NativeMethod, NativeHandler>>>;

/** An API route: a request without a Host header is refused, as the control plane refuses one under /v1/. */
export function hostRequired(handler: NativeHandler): NativeHandler {
  return (request, server) => (request.headers.has("host") ? handler(request, server) : refusalWithoutHost(request));
}

/** Whatever the handler throws becomes an OpenAI-shaped error answer (the framework's error hook does this in the control plane). */
export function caught(deps: AppDeps, handler: NativeHandler): NativeHandler {
  return async (request, server) => {
    try {
      return await handler(request, server);
    } catch (error) {
      return errorResponse(asGatewayError(error, deps.logger), { "x-request-id": requestIdOf(request) });
    }
  };
}
