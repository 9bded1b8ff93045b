-- wrk script for bench/run.sh.
--   wrk ... -s bench/wrk.lua URL                 requests URL's path over and over
--   wrk ... -s bench/wrk.lua URL -- IDS_FILE     GET /api/v1/measures/{id}, cycling through
--                                                the ids in IDS_FILE (one per line; a line
--                                                starting with "/" is a whole path); each
--                                                thread starts at a different place
-- At the end it prints one machine-readable line for run.sh:
--   BENCH requests=N seconds=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. errors=E non2xx=X bytes=B

local thread_count = 0

function setup(thread)
  thread:set("index", thread_count)
  thread_count = thread_count + 1
end

local ids = nil
local position = 1

function init(args)
  if args[1] then
    ids = {}
    for line in io.lines(args[1]) do
      if line ~= "" then ids[#ids + 1] = line end
    end
    if #ids == 0 then error("no ids in " .. args[1]) end
    -- Threads start far apart so that they do not read the same rows in step.
    position = ((index or 0) * 7919) % #ids + 1
  end
end

function request()
  if ids then
    local id = ids[position]
    position = position % #ids + 1
    -- A line that is a path is requested as it is; a bare id names a measure.
    if string.sub(id, 1, 1) == "/" then return wrk.format("GET", id) end
    return wrk.format("GET", "/api/v1/measures/" .. id)
  end
  return wrk.format("GET")
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "errors=%d non2xx=%d bytes=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, summary.bytes))
end
