-- wrk script for bench/run.sh: one scenario per run, chosen by environment variables.
--   BENCH_NAME     contact_360 | search | list | list_cursor | create_interaction | dashboard | healthz |
--                  board | board_column (bench/sales_board.sh; BENCH_STAGES: the stage keys, space-separated)
--   BENCH_TOKEN    API token (Authorization: Bearer …)
--   BENCH_MAX_ID   contact ids are drawn uniformly in 1..BENCH_MAX_ID
--   BENCH_QUERIES  file of search texts, one per line (search)
--   BENCH_CURSORS  file of next_cursor values, one per line (list_cursor)
-- done() prints: RESULT name requests seconds rps p50_ms p90_ms p99_ms max_ms non2xx socket_errors

local name = os.getenv("BENCH_NAME") or "contact_360"
local token = os.getenv("BENCH_TOKEN") or ""
local max_id = tonumber(os.getenv("BENCH_MAX_ID") or "1")

local function lines(path)
  local t = {}
  if path == nil or path == "" then return t end
  local f = io.open(path, "r")
  if f == nil then return t end
  for l in f:lines() do if l ~= "" then t[#t + 1] = l end end
  f:close()
  return t
end

local function urlencode(s)
  return (s:gsub("([^%w%-%._~])", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local queries, cursors, stages = {}, {}, {}
local post_headers = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919)
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Accept"] = "application/json"
  for k, v in pairs(wrk.headers) do post_headers[k] = v end
  post_headers["Content-Type"] = "application/json"
  if name == "search" then
    for _, q in ipairs(lines(os.getenv("BENCH_QUERIES"))) do queries[#queries + 1] = urlencode(q) end
    if #queries == 0 then queries = {"martin"} end
  elseif name == "list_cursor" then
    for _, c in ipairs(lines(os.getenv("BENCH_CURSORS"))) do cursors[#cursors + 1] = urlencode(c) end
  elseif name == "board_column" then
    for st in string.gmatch(os.getenv("BENCH_STAGES") or "qualification", "%S+") do stages[#stages + 1] = st end
  end
end

function request()
  if name == "contact_360" then
    return wrk.format("GET", "/api/v1/contacts/" .. math.random(1, max_id) .. "/360")
  elseif name == "search" then
    return wrk.format("GET", "/api/v1/contacts?q=" .. queries[math.random(1, #queries)])
  elseif name == "list" then
    return wrk.format("GET", "/api/v1/contacts?limit=50")
  elseif name == "list_cursor" then
    if #cursors == 0 then return wrk.format("GET", "/api/v1/contacts?limit=50") end
    return wrk.format("GET", "/api/v1/contacts?limit=50&cursor=" .. cursors[math.random(1, #cursors)])
  elseif name == "dashboard" then
    return wrk.format("GET", "/api/v1/dashboard")
  elseif name == "board" then
    return wrk.format("GET", "/api/v1/sales/board")
  elseif name == "board_column" then
    local stage = stages[math.random(1, #stages)]
    return wrk.format("GET", "/api/v1/opportunities?pipeline_id=1&stage=" .. stage .. "&sort=-amount_cents&limit=20")
  elseif name == "healthz" then
    return wrk.format("GET", "/healthz")
  elseif name == "create_interaction" then
    local body = string.format('{"channel":"phone","contact_id":%d,"subject":"Bench"}', math.random(1, max_id))
    -- wrk.format uses the headers given instead of wrk.headers: pass them all.
    return wrk.format("POST", "/api/v1/interactions", post_headers, body)
  end
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT %s %d %.1f %.0f %.3f %.3f %.3f %.3f %d %d\n", name, summary.requests, secs,
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
