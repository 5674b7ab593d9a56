-- Booking POSTs through the JSON API. bench/run.py writes the requests to BENCH_BOOKINGS, one a
-- line: token, Idempotency-Key and JSON body separated by tabs, each slot asked for by two
-- residents. Each wrk thread takes every n-th line, so no two connections send the same request.
local threads = {}
local counter = 0

setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

init = function(args)
  lines = {}
  local n = 0
  for line in io.lines(os.getenv("BENCH_BOOKINGS")) do
    if n % tonumber(os.getenv("BENCH_THREADS")) == id then
      table.insert(lines, line)
    end
    n = n + 1
  end
  nextline = 1
  statuses = {}
end

request = function()
  local line = lines[nextline]
  nextline = nextline % #lines + 1
  local token, key, body = line:match("([^\t]+)\t([^\t]+)\t(.+)")
  return wrk.format("POST", "/api/v1/reservations", {
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = key,
    ["Content-Type"] = "application/json",
  }, body)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local e = summary.errors
  local counts = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses")
    for status, count in pairs(seen) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
end
