-- Authenticated POST /api/v1/bookings/ with a distinct free slot on every request: request n
-- of thread t books resource n mod R for the hour (base + t * stride + n div R), so no two
-- requests of a run ask for the same slot; the caller gives every run its own base. 201 and
-- 409 both count as correct answers (load/bench.py checks the statuses).
-- Args: <token file> <resources file> <base epoch seconds> <stride hours per thread>
local common = dofile("load/wrk/common.lua")
common.install()

local users, resources, base, stride
local n = 0
function init(args)
  users = common.read_users(args[1])
  resources = common.read_lines(args[2])
  base = tonumber(args[3])
  stride = tonumber(args[4])
  math.randomseed(os.time() + thread_index)
end

local function iso(epoch)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", epoch)
end

function request()
  local resource = resources[(n % #resources) + 1]
  local start = base + (thread_index * stride + math.floor(n / #resources)) * 3600
  n = n + 1
  local user = users[math.random(#users)]
  local body = string.format(
    '{"resource_id": %s, "start": "%s", "end": "%s", "note": "bench"}',
    resource, iso(start), iso(start + 1800))
  return wrk.format("POST", "/api/v1/bookings/", {
    ["Authorization"] = "Bearer " .. user.token,
    ["Content-Type"] = "application/json",
  }, body)
end
