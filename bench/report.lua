-- wrk script of bench/run.sh, set through the environment:
--   WRK_LABEL     name of the measurement in the result line.
--   WRK_PATHS     space-separated paths. When set, each thread requests
--                 them in turn, from its own start, instead of the URL's
--                 path.
--   WRK_DELAY_MS  pause of each connection after a response, in
--                 milliseconds, to send a steady rate instead of the
--                 maximum. Default 0, no pause.
-- The Cookie header is given with -H. done() prints one tab-separated
-- line: RESULT, the label, requests per second, p50 and p99 latency in
-- milliseconds, failed requests, requests, and response bytes per
-- request. Failed requests are socket errors, time-outs and statuses of
-- 400 and above.

local paths = {}
for path in string.gmatch(os.getenv("WRK_PATHS") or "", "%S+") do
  paths[#paths + 1] = path
end

if #paths > 0 then
  local threads = 0
  local next_path = 0

  -- setup runs in the main script once per thread. It numbers the
  -- threads so that their starts spread over the paths.
  setup = function(thread)
    thread:set("id", threads)
    threads = threads + 1
  end

  init = function(args)
    next_path = (id * 7919) % #paths
  end

  request = function()
    next_path = next_path % #paths + 1
    return wrk.format("GET", paths[next_path])
  end
end

local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "0")
if delay_ms > 0 then
  delay = function()
    return delay_ms
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local failed = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT\t%s\t%.0f\t%.3f\t%.3f\t%d\t%d\t%.0f\n",
    os.getenv("WRK_LABEL") or "-",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    failed, summary.requests, summary.bytes / math.max(summary.requests, 1)))
end
