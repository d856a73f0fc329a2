// The web dashboard (dashboard.enabled, at dashboard.path): one HTML page and its hashed script and stylesheet, with a
// strict Content-Security-Policy (nothing inline, nothing from elsewhere). The pages call the public API under /v1.
import { Elysia } from "elysia";
import { dashboardBundle, shellHtml } from "../../dashboard/assets.ts";
import { GatewayError } from "../../core/errors.ts";
import { type AppDeps, requestIdOf } from "../context.ts";
import { asGatewayError, errorResponse } from "../error-response.ts";

export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

export function dashboardRoutes(deps: AppDeps) {
  const app = new Elysia({ name: "dashboard" });
  if (!deps.config.dashboard.enabled) return app;
  const base = deps.config.dashboard.path;
  const failed = (request: Request, error: unknown) => errorResponse(asGatewayError(error, deps.logger), { "x-request-id": requestIdOf(request), ...SECURITY_HEADERS });
  const shell = async ({ request }: { request: Request }) => {
    try {
      const html = shellHtml(await dashboardBundle(), base);
      return new Response(html, {
        headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache", "content-security-policy": DASHBOARD_CSP, ...SECURITY_HEADERS },
      });
    } catch (error) {
      return failed(request, error);
    }
  };
  return app
    .get(base, shell)
    .get(`${base}/`, shell)
    .get(`${base}/assets/:name`, async ({ request, params }) => {
      try {
        const asset = (await dashboardBundle()).files.get(params.name);
        if (!asset) throw new GatewayError("not_found", `No dashboard file '${params.name}'.`);
        return new Response(asset.body, {
          headers: { "content-type": asset.type, "cache-control": "public, max-age=31536000, immutable", ...SECURITY_HEADERS },
        });
      } catch (error) {
        return failed(request, error);
      }
    });
}
