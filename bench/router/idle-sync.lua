-- 10,000 idle long-polls: every connection sends one /sync that the backend holds for 90 s, for its own user.
local counter = 0
function request()
  counter = counter + 1
  local token = "Bearer syt_aWRsZQ" .. counter .. "_IdleIdleIdleIdleIdle_" .. counter
  return wrk.format("GET", "/_matrix/client/v3/sync?since=s" .. counter .. "&timeout=90000",
    { ["Host"] = "matrix.example.org", ["Authorization"] = token })
end
