-- The request mix of the benchmark (wrk). Shares, per 100 requests:
--   35 incremental /sync, 2 initial /sync, 15 message sends, 10 inbound federation transactions,
--   8 media downloads (16 KiB), 5 receipts, 25 reads (pagination, key queries, push rules, versions,
--   room members, federation event fetches).
-- Deterministic: the same sequence for every target. WRK_DELAY_MS (environment) paces each connection.

local users, rooms, servers = 200, 50, 30
local json = "{\"msgtype\":\"m.text\",\"body\":\"" .. string.rep("hello ", 24) .. "\"}"
local txn = "{\"origin\":\"remote.example\",\"pdus\":[" .. string.rep("{\"type\":\"m.room.message\",\"content\":{\"body\":\"x\"}},", 12) .. "{}],\"edus\":[]}"
local keys = "{\"device_keys\":{\"@alice:example.org\":[]}}"

-- WRK_NEW_TOKENS=1: every request carries a token never seen before (same user), as after a refresh of every token.
local new_tokens = os.getenv("WRK_NEW_TOKENS") == "1"
local nonce = tostring(os.time())
local counter = 0
local function token(u)
  local t = "Bearer syt_dXNlcg" .. u .. "_AbCdEfGhIjKlMnOpQrSt_" .. string.format("%06d", u)
  if new_tokens then t = t .. nonce .. "x" .. counter end
  return t
end

local kinds = {}
local function add(kind, n) for _ = 1, n do kinds[#kinds + 1] = kind end end
add("sync", 35); add("initial", 2); add("send", 15); add("fed", 10); add("media", 8); add("receipt", 5)
add("messages", 5); add("keys", 5); add("pushrules", 3); add("versions", 4); add("members", 3); add("fedread", 5)

local seed = 12345

local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_seed", threads)
end

function init(args)
  seed = 12345 + (thread_seed or 0)
end

-- wrk decides whether a script paces requests when it loads it, so the pace comes from the environment.
local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "")
if delay_ms then
  function delay() return delay_ms end
end

function request()
  counter = counter + 1
  local kind = kinds[rand(#kinds) + 1]
  local u, r = rand(users), rand(rooms)
  local auth = { ["Host"] = "matrix.example.org", ["Authorization"] = token(u) }
  if kind == "sync" then
    return wrk.format("GET", "/_matrix/client/v3/sync?since=s" .. counter .. "_" .. u .. "&timeout=30000", auth)
  elseif kind == "initial" then
    return wrk.format("GET", "/_matrix/client/v3/sync?timeout=0", auth)
  elseif kind == "send" then
    auth["Content-Type"] = "application/json"
    return wrk.format("PUT", "/_matrix/client/v3/rooms/!room" .. r .. ":example.org/send/m.room.message/t" .. counter, auth, json)
  elseif kind == "fed" then
    local origin = "remote" .. rand(servers) .. ".example"
    local h = { ["Host"] = "matrix.example.org", ["Content-Type"] = "application/json",
      ["Authorization"] = "X-Matrix origin=\"" .. origin .. "\",destination=\"example.org\",key=\"ed25519:a\",sig=\"c2lnbmF0dXJl\"" }
    return wrk.format("PUT", "/_matrix/federation/v1/send/" .. counter, h, txn)
  elseif kind == "media" then
    return wrk.format("GET", "/_matrix/client/v1/media/download/example.org/media" .. rand(500), auth)
  elseif kind == "receipt" then
    auth["Content-Type"] = "application/json"
    return wrk.format("POST", "/_matrix/client/v3/rooms/!room" .. r .. ":example.org/receipt/m.read/$ev" .. counter, auth, "{}")
  elseif kind == "messages" then
    return wrk.format("GET", "/_matrix/client/v3/rooms/!room" .. r .. ":example.org/messages?dir=b&from=t" .. counter .. "&limit=20", auth)
  elseif kind == "keys" then
    auth["Content-Type"] = "application/json"
    return wrk.format("POST", "/_matrix/client/v3/keys/query", auth, keys)
  elseif kind == "pushrules" then
    return wrk.format("GET", "/_matrix/client/v3/pushrules/", auth)
  elseif kind == "versions" then
    return wrk.format("GET", "/_matrix/client/versions", { ["Host"] = "matrix.example.org" })
  elseif kind == "members" then
    return wrk.format("GET", "/_matrix/client/v3/rooms/!room" .. r .. ":example.org/joined_members", auth)
  else
    return wrk.format("GET", "/_matrix/federation/v1/event/$event" .. rand(10000), { ["Host"] = "matrix.example.org" })
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.stderr:write(string.format(
    "RESULT {\"requests\":%d,\"seconds\":%.2f,\"rps\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"errors\":%d,\"non2xx\":%d}\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, errors, summary.errors.status))
end
