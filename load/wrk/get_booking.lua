-- Authenticated GET /api/v1/bookings/{id}/ of a booking the token's user owns (always 200).
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
  local booking = user.bookings[math.random(#user.bookings)]
  return wrk.format("GET", "/api/v1/bookings/" .. booking .. "/",
    { ["Authorization"] = "Bearer " .. user.token })
end
