-- Password logins under wrk (POST /v1/token, grant_type=password), spread over many accounts.
--
-- Usage: wrk -t T -c C -s login.lua URL -- ACCOUNTS PASSWORD [START]
-- Accounts are user<k>@bench.test for k in [0, ACCOUNTS), all with PASSWORD; each thread walks
-- them from its own offset (plus START, default 0, which sets wrk processes running at once apart),
-- so no account sees concurrent logins (the throttle counts an attempt as a failure until its hash
-- matches).

local threads_started = 0

function setup(thread)
   thread:set("thread_index", threads_started)
   threads_started = threads_started + 1
end

local accounts, password, next_account
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function init(args)
   accounts = tonumber(args[1])
   password = args[2]
   next_account = (thread_index * 7919 + (tonumber(args[3]) or 0)) % accounts
end

function request()
   local body = "grant_type=password&username=user" .. next_account .. "%40bench.test&password=" .. password
   next_account = (next_account + 1) % accounts
   return wrk.format("POST", "/v1/token", headers, body)
end
