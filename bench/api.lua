-- wrk script for bench/run.sh: one scenario per run, chosen by environment variables.
--   BENCH_NAME     contact_360 | search | lookup_phone | list | list_cursor | create_interaction | dashboard | healthz |
--                  board | board_column (bench/sales_board.sh; BENCH_STAGES: the stage keys, space-separated) |
--                  service_queue | case_page | case_list (bench/service_bench.sh; BENCH_MAX_CASE: case ids in 1..N)
--   BENCH_TOKEN    API token (Authorization: Bearer …)
--   BENCH_MAX_ID   contact ids are drawn uniformly in 1..BENCH_MAX_ID
--   BENCH_QUERIES  file of search texts, one per line (search)
--   BENCH_CURSORS  file of next_cursor values, one per line (list_cursor)
--   BENCH_PHONES   file of stored E.164 numbers, one per line (lookup_phone: each request writes one
--                  of them in a random form — 06 12 34 56 78, +33612345678, 0033…, dots, dashes —,
--                  and one request in ten asks a number of no record, as an unknown caller does)
-- done() prints: RESULT name requests seconds rps p50_ms p90_ms p99_ms max_ms non2xx socket_errors

local name = os.getenv("BENCH_NAME") or "contact_360"
local token = os.getenv("BENCH_TOKEN") or ""
local max_id = tonumber(os.getenv("BENCH_MAX_ID") or "1")
local max_case = tonumber(os.getenv("BENCH_MAX_CASE") or "1")

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

local queries, cursors, stages, phones = {}, {}, {}, {}

-- A stored number as a person or a phone system writes it.
local function written(e164)
  local k = math.random(1, 6)
  if e164:sub(1, 3) ~= "+33" or #e164 ~= 12 then
    if k <= 3 then return e164 end
    return "00" .. e164:sub(2)
  end
  local nat = "0" .. e164:sub(4)
  local function grouped(sep)
    return nat:sub(1, 2) .. sep .. nat:sub(3, 4) .. sep .. nat:sub(5, 6) .. sep .. nat:sub(7, 8) .. sep .. nat:sub(9, 10)
  end
  if k == 1 then return grouped(" ")
  elseif k == 2 then return e164
  elseif k == 3 then return "0033" .. e164:sub(4)
  elseif k == 4 then return grouped(".")
  elseif k == 5 then return grouped("-")
  else return nat end
end
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
  elseif name == "lookup_phone" then
    for _, p in ipairs(lines(os.getenv("BENCH_PHONES"))) do phones[#phones + 1] = p end
    if #phones == 0 then phones = {"+33612345678"} end
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
  elseif name == "lookup_phone" then
    local number
    if math.random(1, 10) == 1 then
      number = string.format("+336%02d%06d", math.random(10, 38), math.random(0, 999999))  -- most are nobody's
    else
      number = phones[math.random(1, #phones)]
    end
    return wrk.format("GET", "/api/v1/lookup/phone/" .. urlencode(written(number)))
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
  elseif name == "service_queue" then
    return wrk.format("GET", "/api/v1/service/queue")
  elseif name == "case_page" then
    -- What the case page loads: the case and its history with its service levels replayed.
    local id = math.random(1, max_case)
    if math.random(1, 2) == 1 then return wrk.format("GET", "/api/v1/cases/" .. id) end
    return wrk.format("GET", "/api/v1/cases/" .. id .. "/history")
  elseif name == "case_list" then
    return wrk.format("GET", "/api/v1/cases?open=true&sort=sla_due_at&limit=50")
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
