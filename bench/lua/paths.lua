-- wrk script of the benchmark: cycles through the paths given after `--`, counts
-- the responses the page cache answered (X-Cache: HIT), and prints the summary
-- as one JSON line that starts with BENCH_JSON for bench/load.py to read.
--
--   wrk -t2 -c8 -d5s -s bench/lua/paths.lua http://127.0.0.1:8765 -- /a/ /b/?q=x

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for i, path in ipairs(args) do
    paths[i] = path
  end
  if #paths == 0 then
    paths[1] = "/"
  end
  -- Threads start at different places so that every path gets its share.
  index = math.random(#paths)
  hits = 0
  misses = 0
end

function request()
  index = index % #paths + 1
  -- Many visitors behind the reverse proxy (TRUSTED_PROXY_COUNT=1), as in
  -- production: per-address rate limits apply to each, not to the benchmark.
  wrk.headers["X-Forwarded-For"] = string.format(
    "10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  local cache = headers["X-Cache"]
  if cache == "HIT" then
    hits = hits + 1
  elseif cache == "MISS" then
    misses = misses + 1
  end
end

function done(summary, latency, requests)
  local hits, misses = 0, 0
  for _, thread in ipairs(threads) do
    hits = hits + (thread:get("hits") or 0)
    misses = misses + (thread:get("misses") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"cache": {"hit": %d, "miss": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, hits, misses))
end
