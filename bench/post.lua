-- wrk script for keyway's bench: POSTs the request in $WRK_REQUEST (header lines, a blank line, then the body)
-- and prints one JSON line of results (latencies in microseconds) when the run is done.
local file = assert(io.open(os.getenv("WRK_REQUEST"), "rb"))
local text = file:read("*a")
file:close()
local split = string.find(text, "\n\n", 1, true)
local head = string.sub(text, 1, split - 1)
wrk.method = "POST"
wrk.body = string.sub(text, split + 2)
for line in string.gmatch(head, "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nWRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean))
end
