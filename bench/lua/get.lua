-- get.lua: plain GETs of the URL given to wrk (N0's static file, G1's
-- public contest JSON), counted by status like every other script.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function response(status)
	count(status)
end
