-- wrk script: the same token-authenticated 50-id resign-user-batch call the clients
-- make. bench/wire/wire.py passes the body and the token through the environment and
-- checks the identical request once beforehand (a `response` hook would slow wrk).
wrk.method = "POST"
wrk.path = "/api/v3/resign-user-batch"
wrk.body = os.getenv("WIRE_BODY")
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer " .. os.getenv("WIRE_TOKEN")
wrk.headers["x-authing-userpool-id"] = os.getenv("WIRE_USERPOOL")
