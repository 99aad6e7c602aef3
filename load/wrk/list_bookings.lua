-- Authenticated GET /api/v1/users/{id}/bookings/ of the token's own user (a page of 20).
-- Args: <token file from load/seed.py>
local common = dofile("load/wrk/common.lua")
common.install()

local users
function init(args)
  users = common.read_users(args[1])
  math.randomseed(os.time() + thread_index)
end

function request()
  local user = users[math.random(#users)]
  return wrk.format("GET", "/api/v1/users/" .. user.id .. "/bookings/",
    { ["Authorization"] = "Bearer " .. user.token })
end
