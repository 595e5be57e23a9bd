-- G7: a login flood. Password sign-ins with wrong passwords for random
-- seeded accounts (BENCH_ACCOUNT_PREFIX .. n, n in BENCH_ACCOUNT_FIRST ..
-- BENCH_ACCOUNT_LAST) and a captcha the flooder could not read, as an
-- unsolved-captcha attacker sends them. Anonymous CSRF: the same random
-- token in the cookie and the header, as a browser would have.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local prefix, first, last
local csrf

function init(args)
	prefix = os.getenv("BENCH_ACCOUNT_PREFIX")
	first = tonumber(os.getenv("BENCH_ACCOUNT_FIRST"))
	last = tonumber(os.getenv("BENCH_ACCOUNT_LAST"))
	math.randomseed(os.time() + tid * 7919)
	local abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	local t = {}
	for k = 1, 43 do
		local p = math.random(1, #abc)
		t[k] = string.sub(abc, p, p)
	end
	csrf = table.concat(t)
end

function request()
	local n = math.random(first, last)
	return wrk.format("POST", "/api/v1/login", {
		["Cookie"] = "saiwu_csrf=" .. csrf,
		["X-CSRF-Token"] = csrf,
		["Content-Type"] = "application/json",
	}, '{"method":"password","login":"' .. prefix .. n .. '","password":"Wrong-pass-' .. n ..
		'","captcha_id":"bench-unsolved","captcha_answer":"ABCD","remember":false}')
end

function response(status)
	count(status)
end
