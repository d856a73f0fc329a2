// The floor: a pass-through proxy on Bun.serve + fetch and nothing else; no gateway on this runtime can beat it.
// `UPSTREAM=http://127.0.0.1:N BUN_CONFIG_MAX_HTTP_REQUESTS=65535 bun bench/bare-proxy.ts [--port N]`; prints {"port":N}.
const upstream = process.env.UPSTREAM ?? "http://127.0.0.1:8081";
const flag = process.argv.indexOf("--port");

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: flag > 0 ? Number(process.argv[flag + 1]) : 0,
  idleTimeout: 255,
  async fetch(request) {
    const path = request.url.slice(request.url.indexOf("/", 8));
    const headers = new Headers(request.headers);
    headers.delete("host");
    const body = request.method === "GET" ? undefined : await request.arrayBuffer();
    const answer = await fetch(upstream + path, { method: request.method, headers, body, signal: request.signal });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  },
});
console.log(JSON.stringify({ port: server.port }));
