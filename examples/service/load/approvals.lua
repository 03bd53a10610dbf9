-- wrk script: POST /decisions/{id}/approval, each request approving another pending decision.
--
--   wrk -t2 -c64 -d10s --latency -s load/approvals.lua http://127.0.0.1:8080 -- IDS [PART PARTS]
--
-- IDS is a file of decision ids, one per line (run.sh writes the escalations of a seeding run).
-- Each wrk thread approves its own share of them, once each; PART of PARTS splits the file
-- between wrk processes run side by side (PART counts from 0). The approver is one of SUPERVISORS
-- supervisor keys (`load-supervisor-token-N`, N from 0, as run.sh writes them), in turn, so that
-- no one supervisor's daily budget is reached. An id approved twice (the file ran out) answers
-- 409, which wrk counts as "Non-2xx or 3xx responses": a run without that line approved each
-- request's decision once.

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  local part = tonumber(args[2]) or 0
  local parts = tonumber(args[3]) or 1
  local threads = tonumber(os.getenv("THREADS")) or 1
  supervisors = tonumber(os.getenv("SUPERVISORS")) or 1000
  ids = {}
  local lane = part * threads + (thread_id - 1)
  local lanes = parts * threads
  local index = 0
  for line in io.lines(args[1]) do
    if index % lanes == lane then
      ids[#ids + 1] = line
    end
    index = index + 1
  end
  sent = 0
end

request = function()
  sent = sent + 1
  local id = ids[(sent - 1) % #ids + 1]
  local supervisor = (thread_id * 7919 + sent) % supervisors
  return wrk.format("POST", "/decisions/" .. id .. "/approval", {
    ["Authorization"] = "Bearer load-supervisor-token-" .. supervisor,
  }, nil)
end
