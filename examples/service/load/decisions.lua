-- wrk script: POST /decisions, each request a new order with its own idempotency key.
--
--   wrk -t2 -c64 -d20s --latency -s load/decisions.lua http://127.0.0.1:8080 -- [CUSTOMERS [TAG]]
--
-- CUSTOMERS (default 10000) is how many customers each wrk thread spreads its requests over;
-- 1 sends every request of a thread for the same customer, the worst case for the
-- per-customer lock. TAG keeps the customers of wrk processes run side by side apart. Times are relative to the clock, so the service decides on its own clock.
-- wrk counts any answer but 200 as "Non-2xx or 3xx responses".
--
-- The environment: TOKEN is the agent's API key (default `load-agent-token`, the key run.sh
-- writes); ESCALATE=1 has every customer insist on a supervisor, so that every decision is an
-- escalation for the approvals run to approve.

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  customers = tonumber(args[1]) or 10000
  sent = 0
  tiers = { "new", "regular", "silver", "gold", "platinum" }
  categories = { "late_delivery", "missing_item", "food_not_hot", "packaging" }
  run = (args[2] or "") .. tostring(os.time())
  token = os.getenv("TOKEN") or "load-agent-token"
  conduct = ""
  if os.getenv("ESCALATE") == "1" then
    conduct = ',"conduct":{"insists_on_supervisor":true}'
  end
end

local function ago(seconds)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - seconds)
end

request = function()
  sent = sent + 1
  local n = sent % customers
  local customer = string.format("W%s-%d-%d", run, thread_id, n)
  local order = string.format("%s-%d", customer, sent)
  local body = string.format(
    '{"locale":"en",' ..
    '"customer":{"id":"%s","name":"Load Test","loyalty":"%s"},' ..
    '"order":{"id":"%s","customer_id":"%s","total":"%d","currency":"IDR",' ..
    '"placed_at":"%s","delivered_at":"%s"},' ..
    '"complaint":{"category":"%s","reported_at":"%s","company_at_fault":true,"evidence":"none"}%s}',
    customer, tiers[n % #tiers + 1], order, customer, 50000 + (sent % 20) * 5000,
    ago(7200), ago(3600), categories[sent % #categories + 1], ago(1800), conduct)
  return wrk.format("POST", "/decisions", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = order,
  }, body)
end
