-- Sign-ups under wrk (POST /v1/accounts), each with a new email.
--
-- Usage: wrk -t T -c C -s signup.lua URL -- PREFIX PASSWORD
-- Emails are PREFIX-<thread>-<n>@bench.test, so runs and threads never collide.

local threads_started = 0

function setup(thread)
   thread:set("thread_index", threads_started)
   threads_started = threads_started + 1
end

local prefix, password
local counter = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
   prefix = args[1]
   password = args[2]
end

function request()
   counter = counter + 1
   local body = '{"email":"' .. prefix .. "-" .. thread_index .. "-" .. counter .. '@bench.test","password":"' .. password .. '"}'
   return wrk.format("POST", "/v1/accounts", headers, body)
end
