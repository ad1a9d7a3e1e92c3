-- Refresh-token rotation under wrk (POST /v1/token, grant_type=refresh_token).
--
-- Usage: wrk -t T -c C -s refresh.lua URL -- TOKEN_FILE T
-- TOKEN_FILE holds one refresh token a line, one session per connection (at least C lines);
-- thread k of T takes lines k+1, k+1+T, ...
--
-- A refresh token is single-use, so every session chain has exactly one request in flight:
-- response() takes the new token out of the JSON body and puts it in this thread's pool,
-- request() takes a token out of the pool. wrk does not say which connection a callback is for,
-- so chains move between the thread's connections, but none is ever presented twice.
-- A chain whose request fails is lost; once all are lost, requests carry an unknown token
-- (answered 400, counted by wrk as non-2xx). wrk calls request() once in each thread before
-- connecting and never sends that request, so the first call takes no token.

local threads_started = 0

function setup(thread)
   thread:set("thread_index", threads_started)
   threads_started = threads_started + 1
end

local pool, head, tail = {}, 1, 0
local first_call = true
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function init(args)
   local thread_count = tonumber(args[2])
   local line_number = 0
   for line in io.lines(args[1]) do
      if line ~= "" and line_number % thread_count == thread_index then
         tail = tail + 1
         pool[tail] = line
      end
      line_number = line_number + 1
   end
end

function request()
   local token = "unknown"
   if first_call then
      first_call = false
   elseif head <= tail then
      token = pool[head]
      pool[head] = nil
      head = head + 1
   end
   return wrk.format("POST", "/v1/token", headers, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, response_headers, body)
   local token = body and body:match('"refresh_token"%s*:%s*"([^"]+)"')
   if status == 200 and token then
      tail = tail + 1
      pool[tail] = token
   end
end
