// A provider plugin behind a boundary: a fault of its code is the plugin's (502 naming it), never the client's (400),
// a `toUpstream` that returns a Promise or no URL is refused before anything is sent, and synchronous work that
// holds the event loop too long is logged with the plugin's name. Built-in adapters are not wrapped.
import { GatewayError } from "../core/errors.ts";
import type { NativeEndpoint, ProviderAdapter, ProviderEndpoints, StreamTranslator, UpstreamRequest } from "../plugins/sdk.ts";
import { redactSecrets } from "../telemetry/redact.ts";
import { type BlockWatch, timed } from "./blocking.ts";

type AnyFunction = (...args: never[]) => unknown;

function reasonOf(error: unknown, secret: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message, [secret]);
}

function isThenable(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** The 502 of a provider plugin that failed to build a request: names the plugin, never blames the client. */
export function pluginFault(watch: BlockWatch, method: string, problem: string): GatewayError {
  return new GatewayError("upstream_error", `${watch.plugin} failed in ${method}: ${problem}. This is a fault of the plugin, not of the request.`);
}

function guardToUpstream<F extends AnyFunction>(watch: BlockWatch, method: string, toUpstream: F): F {
  return ((...args: Parameters<F>) => {
    const secret = (args[1] as { apiKey?: string } | undefined)?.apiKey;
    let built: unknown;
    try {
      built = timed(watch, method, () => toUpstream(...args));
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw pluginFault(watch, method, `it threw: ${reasonOf(error, secret)}`);
    }
    if (isThenable(built)) {
      (built as Promise<unknown>).catch(() => {});
      throw pluginFault(watch, method, "it returned a Promise; toUpstream must return the request itself (it cannot be async)");
    }
    const url = (built as Partial<UpstreamRequest> | null)?.url;
    if (typeof url !== "string" || url === "") throw pluginFault(watch, method, "it returned no request url");
    return built;
  }) as F;
}

/** Any other plugin method: timed, and a throw re-thrown naming the plugin (the caller turns it into its own 502). */
function guardCall<F extends AnyFunction>(watch: BlockWatch, method: string, fn: F): F {
  return ((...args: Parameters<F>) => {
    try {
      return timed(watch, method, () => fn(...args));
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw new Error(`${watch.plugin} failed in ${method}: ${reasonOf(error, undefined)}`, { cause: error });
    }
  }) as F;
}

function guardTranslator(watch: BlockWatch, where: string, stream: StreamTranslator): StreamTranslator {
  return {
    framing: stream.framing,
    start: guardCall(watch, `${where}.start`, stream.start.bind(stream)),
    translate: guardCall(watch, `${where}.translate`, stream.translate.bind(stream)),
    finish: guardCall(watch, `${where}.finish`, stream.finish.bind(stream)),
  };
}

function guardEndpoint<E extends object>(watch: BlockWatch, name: string, endpoint: E): E {
  const guarded = { ...endpoint } as Record<string, unknown>;
  for (const [field, value] of Object.entries(endpoint)) {
    const method = `endpoints.${name}.${field}`;
    if (typeof value === "function") {
      const bound = (value as AnyFunction).bind(endpoint);
      guarded[field] = field === "toUpstream" ? guardToUpstream(watch, method, bound) : guardCall(watch, method, bound);
    } else if (field === "stream" && typeof value === "object" && value !== null) {
      guarded[field] = guardTranslator(watch, method, value as StreamTranslator);
    }
  }
  return guarded as E;
}

/** The adapter with every endpoint method behind the boundary; its other fields as they were. */
export function guardProvider(adapter: ProviderAdapter, watch: BlockWatch): ProviderAdapter {
  const endpoints: Record<string, unknown> = {};
  for (const [name, endpoint] of Object.entries(adapter.endpoints)) {
    if (endpoint === undefined) continue;
    if (name !== "native") {
      endpoints[name] = guardEndpoint(watch, name, endpoint);
      continue;
    }
    const native: Record<string, NativeEndpoint> = {};
    for (const [format, nativeEndpoint] of Object.entries(endpoint as Record<string, NativeEndpoint>)) {
      native[format] = guardEndpoint(watch, `native.${format}`, nativeEndpoint);
    }
    endpoints.native = native;
  }
  return { ...adapter, endpoints: endpoints as ProviderEndpoints };
}
