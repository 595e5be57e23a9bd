-- G2: an applicant's list of records (我的赛事), rotating the signed-in
-- sessions in BENCH_SESSIONS (one token a line) so every request looks
-- up another session and another user's records.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local sessions
local i = 0

function init(args)
	sessions = read_rows(os.getenv("BENCH_SESSIONS"))
	i = (tid * 7919) % #sessions
end

function request()
	i = i % #sessions + 1
	return wrk.format("GET", "/api/v1/applications?per_page=20",
		{ ["Cookie"] = "saiwu_session=" .. sessions[i][1] })
end

function response(status)
	count(status)
end
