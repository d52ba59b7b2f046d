-- wrk script of bench/public_longtail.py: each request takes the next path of the file
-- named by LONGTAIL_PATHS (one path a line). The threads take turns over the list (thread i
-- takes lines i, i+T, i+2T, ...), so no path is asked twice until the list is used up; the
-- number of requests beyond the list (repeats) is reported. done() prints one JSON line.

-- A line may carry a Cookie header after a tab (the language cookie of an English reader).
local paths = {}
local cookies = {}
for line in io.lines(os.getenv("LONGTAIL_PATHS")) do
  local path, cookie = line:match("^([^\t]*)\t(.*)$")
  paths[#paths + 1] = path or line
  cookies[#paths] = cookie
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

function init(args)
  step = tonumber(os.getenv("LONGTAIL_THREADS") or "1")
  index = offset
  sent = 0
end

function request()
  local i = (index % #paths) + 1
  index = index + step
  sent = sent + 1
  local headers = { ["Accept-Encoding"] = "identity" }
  if cookies[i] then
    headers["Cookie"] = cookies[i]
  end
  return wrk.format("GET", paths[i], headers)
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("sent") or 0)
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"paths": %d, "sent": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, #paths, total))
end
