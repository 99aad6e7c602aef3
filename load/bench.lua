-- wrk script of `make bench` (load/bench.py). One request shape per run, chosen by the first
-- argument; when the run ends, prints one line "WRK {json}" with the counts and latencies.
--   hello                     GET /
--   get_booking <tokens>      GET /api/v1/bookings/{id}/ of a booking the token's user owns
--   list_bookings <tokens>    GET /api/v1/users/{id}/bookings/ of the token's own user
--   create_booking <tokens> <resources> <base hour> <hours per thread>
--                             POST /api/v1/bookings/, a free slot every time: request n of
--                             thread t books resource n mod R at hour base + t * stride + n div R
-- <tokens> is the file load/seed.py writes: "<token> <user id> <booking id>,<booking id>,...".
local mode, users, resources, base, stride
local threads, n = {}, 0

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  assert(#lines > 0, "nothing in " .. path)
  return lines
end

local function read_users(path)
  local found = {}
  for _, line in ipairs(read_lines(path)) do
    local token, id, bookings = line:match("^(%S+) (%d+) (%S+)$")
    local ids = {}
    for booking in bookings:gmatch("%d+") do ids[#ids + 1] = booking end
    found[#found + 1] = { auth = { Authorization = "Bearer " .. token }, id = id, bookings = ids }
  end
  return found
end

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_index", #threads)
end

function init(args)
  mode = args[1]
  if mode ~= "hello" then users = read_users(args[2]) end
  if mode == "create_booking" then
    resources = read_lines(args[3])
    base = tonumber(args[4])
    stride = tonumber(args[5])
  end
  math.randomseed(os.time() + thread_index)
  statuses = {}
end

local function iso(hour)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", hour * 3600)
end

function request()
  if mode == "hello" then return wrk.format("GET", "/") end
  local user = users[math.random(#users)]
  if mode == "get_booking" then
    local booking = user.bookings[math.random(#user.bookings)]
    return wrk.format("GET", "/api/v1/bookings/" .. booking .. "/", user.auth)
  elseif mode == "list_bookings" then
    return wrk.format("GET", "/api/v1/users/" .. user.id .. "/bookings/", user.auth)
  end
  local hour = base + thread_index * stride + math.floor(n / #resources)
  local body = string.format('{"resource_id": %s, "start": "%s", "end": "%s", "note": "bench"}',
    resources[(n % #resources) + 1], iso(hour), iso(hour + 0.5))
  n = n + 1
  local headers = { Authorization = user.auth.Authorization, ["Content-Type"] = "application/json" }
  return wrk.format("POST", "/api/v1/bookings/", headers, body)
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency)
  local merged, parts = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  for status, count in pairs(merged) do parts[#parts + 1] = string.format('"%d": %d', status, count) end
  local e = summary.errors
  io.write(string.format('WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"socket_errors": %d, "statuses": {%s}}\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout,
    table.concat(parts, ", ")))
end
