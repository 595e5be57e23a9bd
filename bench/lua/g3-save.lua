-- G3: durable draft saves. BENCH_SESSIONS rows are
--   token  csrf  application_id  version
-- one draft per row; each thread owns its share. A record is never sent
-- twice at once: it leaves the free list with its request and comes back
-- (version + 1) when its 200 names it, so no save is a stale_version of
-- our own making. BENCH_DOC is the document sent (the same for all).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local free = {}
local doc
local busy = {}

function init(args)
	for _, r in ipairs(my_rows(read_rows(os.getenv("BENCH_SESSIONS")))) do
		table.insert(free, { token = r[1], csrf = r[2], id = r[3], version = tonumber(r[4]) })
	end
	local f = assert(io.open(os.getenv("BENCH_DOC"), "r"))
	doc = f:read("*a")
	f:close()
end

function request()
	local rec = table.remove(free)
	if not rec then
		idle = idle + 1
		return wrk.format("GET", "/healthz")
	end
	busy[rec.id] = rec
	return wrk.format("PUT", "/api/v1/applications/" .. rec.id, {
		["Cookie"] = "saiwu_session=" .. rec.token,
		["X-CSRF-Token"] = rec.csrf,
		["Content-Type"] = "application/json",
	}, '{"version":' .. rec.version .. ',"doc":' .. doc .. '}')
end

function response(status, headers, body)
	-- Every 200 of a save is the record, starting {"id":N; anything
	-- else that is 200 answers an idle /healthz.
	local id = status == 200 and string.match(body, '^{"id":(%d+)')
	if status == 200 and not id then
		return
	end
	count(status)
	if id then
		local rec = busy[id]
		if rec then
			busy[id] = nil
			rec.version = rec.version + 1
			table.insert(free, rec)
		end
	end
end
