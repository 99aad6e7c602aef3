-- Shared by the wrk scripts of `make bench` (load/bench.py runs them from the repo root).
-- Reads the token file written by load/seed.py, counts response statuses per thread and, when
-- the run ends, prints one line "WRK {json}" that load/bench.py parses.
local common = {}

local threads = {}

function common.read_users(path)
  local users = {}
  for line in io.lines(path) do
    local token, user_id, ids = line:match("^(%S+) (%d+) (%S+)$")
    if token then
      local bookings = {}
      for id in ids:gmatch("%d+") do bookings[#bookings + 1] = id end
      users[#users + 1] = { token = token, id = user_id, bookings = bookings }
    end
  end
  assert(#users > 0, "no users in " .. path)
  return users
end

function common.read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  return lines
end

-- Install setup/response/done into the script's globals.
function common.install()
  local counter = 0
  function setup(thread)
    counter = counter + 1
    thread:set("thread_index", counter)
    threads[#threads + 1] = thread
  end

  statuses = {}
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end

  function done(summary, latency, requests)
    local merged = {}
    for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses")) do
        merged[status] = (merged[status] or 0) + count
      end
    end
    local parts = {}
    for status, count in pairs(merged) do
      parts[#parts + 1] = string.format('"%d": %d', status, count)
    end
    local e = summary.errors
    io.write(string.format(
      'WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
        .. '"max_us": %d, "socket_errors": {"connect": %d, "read": %d, "write": %d, '
        .. '"timeout": %d}, "statuses": {%s}}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout,
      table.concat(parts, ", ")))
  end
end

return common
