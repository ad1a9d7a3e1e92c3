-- Password-reset requests under wrk (POST /v1/password/forgot), walking many accounts.
--
-- Usage: wrk -t T -c C -s forgot.lua URL -- ACCOUNTS
-- Accounts are user<k>@bench.test for k in [0, ACCOUNTS); each thread walks them from its own offset.

local threads_started = 0

function setup(thread)
   thread:set("thread_index", threads_started)
   threads_started = threads_started + 1
end

local accounts, next_account
local headers = { ["Content-Type"] = "application/json" }

function init(args)
   accounts = tonumber(args[1])
   next_account = (thread_index * 7919) % accounts
end

function request()
   local body = '{"email":"user' .. next_account .. '@bench.test"}'
   next_account = (next_account + 1) % accounts
   return wrk.format("POST", "/v1/password/forgot", headers, body)
end
