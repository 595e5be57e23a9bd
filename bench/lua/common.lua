-- common.lua: what every benchmark script shares. Counts answers by status
-- in each thread and prints one machine-readable line at the end:
--   BENCH {"requests":…,"ok":…,"bad":…,"idle":…,"codes":{…},"p99_us":…}
-- "ok" is 2xx, "bad" anything else, "idle" requests a script sent only
-- because it had no work left (they are not part of the figure).
-- Data files come from the environment (BENCH_*), set by bench/harness.mjs.

local threads = {}
local nthreads = 0

function setup(thread)
	thread:set("tid", nthreads)
	nthreads = nthreads + 1
	table.insert(threads, thread)
end

ok, bad, idle, codes = 0, 0, 0, {}

function count(status)
	if status >= 200 and status < 300 then
		ok = ok + 1
	else
		bad = bad + 1
	end
	codes[status] = (codes[status] or 0) + 1
end

-- Lines of a tab-separated file as arrays of fields.
function read_rows(path)
	local rows = {}
	local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
	for line in f:lines() do
		if line ~= "" then
			local row = {}
			for field in string.gmatch(line, "[^\t]+") do
				table.insert(row, field)
			end
			table.insert(rows, row)
		end
	end
	f:close()
	return rows
end

-- This thread's share of rows: every nth row starting at its index, so
-- two threads never touch the same record.
function my_rows(rows)
	local n = tonumber(os.getenv("BENCH_THREADS") or "2")
	local mine = {}
	for i = tid + 1, #rows, n do
		table.insert(mine, rows[i])
	end
	return mine
end

function done(summary, latency, requests)
	local all_ok, all_bad, all_idle, all_codes = 0, 0, 0, {}
	for _, t in ipairs(threads) do
		all_ok = all_ok + (t:get("ok") or 0)
		all_bad = all_bad + (t:get("bad") or 0)
		all_idle = all_idle + (t:get("idle") or 0)
		for k, v in pairs(t:get("codes") or {}) do
			all_codes[k] = (all_codes[k] or 0) + v
		end
	end
	local cs = {}
	for k, v in pairs(all_codes) do
		table.insert(cs, string.format('"%d":%d', k, v))
	end
	local e = summary.errors
	io.write(string.format('BENCH {"requests":%d,"duration_us":%d,"bytes":%d,"ok":%d,"bad":%d,"idle":%d,' ..
		'"codes":{%s},"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
		'"mean_us":%.0f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
		summary.requests, summary.duration, summary.bytes, all_ok, all_bad, all_idle,
		table.concat(cs, ","), e.connect, e.read, e.write, e.status, e.timeout,
		latency.mean, latency:percentile(50), latency:percentile(90),
		latency:percentile(99), latency.max))
end
