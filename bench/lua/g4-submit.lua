-- G4: final submits. BENCH_SESSIONS rows are
--   token  csrf  application_id
-- complete drafts, each submitted once; each thread owns its share. When
-- a thread has none left it sends /healthz, counted as idle, not as work.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local rows
local next_row = 0

function init(args)
	rows = my_rows(read_rows(os.getenv("BENCH_SESSIONS")))
end

function request()
	next_row = next_row + 1
	local r = rows[next_row]
	if not r then
		idle = idle + 1
		return wrk.format("GET", "/healthz")
	end
	return wrk.format("POST", "/api/v1/applications/" .. r[3] .. "/submit", {
		["Cookie"] = "saiwu_session=" .. r[1],
		["X-CSRF-Token"] = r[2],
	})
end

function response(status, headers, body)
	-- A submit's 200 is the record ({"id":N…); any other 200 answers an
	-- idle /healthz.
	if status == 200 and not string.find(body, '^{"id":') then
		return
	end
	count(status)
end
