-- GET one fixed path (the bare hello app: the ceiling). Args: <path>
local common = dofile("load/wrk/common.lua")
common.install()

local path = "/"
function init(args)
  path = args[1] or "/"
end

function request()
  return wrk.format("GET", path)
end
