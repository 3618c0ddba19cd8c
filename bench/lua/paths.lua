-- wrk script of the benchmark: cycles through the paths given after `--`, counts
-- the responses the page cache answered (X-Cache: HIT), and prints the summary
-- as one JSON line that starts with BENCH_JSON for bench/load.py to read.
--
--   wrk -t2 -c8 -d5s -s bench/lua/paths.lua http://127.0.0.1:8765 -- /a/ /b/?q=x
--
-- With a first argument `rate=N`, each thread sends N requests a second on a
-- fixed schedule (whichever of its connections is free), instead of as fast as
-- its connections are answered: then fast answers (cache hits) do not crowd
-- out slow ones (misses) in the counts, and the share of hits is the share a
-- site receiving that many requests a second would see. LuaJIT's ffi gives
-- the clock.

local threads = {}
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local timespec = ffi.new("bench_timespec")
local CLOCK_MONOTONIC = 1

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  interval = nil
  for _, arg in ipairs(args) do
    local rate = string.match(arg, "^rate=([%d.]+)$")
    if rate then
      interval = 1000 / tonumber(rate)
    else
      paths[#paths + 1] = arg
    end
  end
  if #paths == 0 then
    paths[1] = "/"
  end
  -- Threads start at different places so that every path gets its share.
  index = math.random(#paths)
  hits = 0
  misses = 0
end

function delay()
  if interval == nil then
    return 0
  end
  local now = now_ms()
  -- Behind schedule (every connection busy): catch up, but by one second at most.
  if next_due == nil or next_due < now - 1000 then
    next_due = now
  end
  local wait = next_due - now
  next_due = next_due + interval
  if wait < 0 then
    return 0
  end
  return wait
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
