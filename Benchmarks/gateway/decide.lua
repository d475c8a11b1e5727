-- wrk script: POST /v1/decide with a different allowed command each request (identical calls would trip loop
-- detection), spread over 100 sessions per thread. CLAWGUARD_TOKEN: the bearer token. PACE_MS: if set, each
-- connection waits that long between requests (fixed-rate mode: rate ≈ connections × 1000 / PACE_MS).
local token = os.getenv("CLAWGUARD_TOKEN")
local pace = tonumber(os.getenv("PACE_MS") or "")
local counter = 0
local id = 0
local threads = {}

function setup(thread)
   id = id + 1
   thread:set("tid", id)
   table.insert(threads, thread)
end

function init(args)
   wrk.headers["Authorization"] = "Bearer " .. token
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   counter = counter + 1
   local body = string.format(
      '{"tool":"Bash","input":{"command":"echo load %d %d"},"cwd":"/tmp","session_id":"load-%d-%d","agent":"wrk"}',
      tid, counter, tid, counter % 100)
   return wrk.format("POST", "/v1/decide", nil, body)
end

if pace then
   function delay()
      return pace
   end
end

local decisions = {}
function response(status, headers, body)
   local d = string.match(body, '"decision":"(%a+)"')
   decisions[d or ("http" .. status)] = (decisions[d or ("http" .. status)] or 0) + 1
end

function done(summary, latency, requests)
   local p = {50, 90, 99, 99.9}
   local parts = {}
   for _, q in ipairs(p) do
      table.insert(parts, string.format("p%s=%.2fms", q, latency:percentile(q) / 1000))
   end
   io.write(string.format("RESULT requests=%d duration_s=%.1f rate=%.0f/s errors=%d non2xx=%d %s max=%.2fms\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      summary.errors.status, table.concat(parts, " "), latency.max / 1000))
end
