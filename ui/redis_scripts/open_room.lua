-- A new room, unless its code is taken (then 0: the caller draws another code).
-- KEYS: the room's hash, the sorted set of codes by expiry. ARGV: the secret's SHA-256, expiry (s), code.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'secret_sha256', ARGV[1], 'expires', ARGV[2], 'round', 0, 'revealed', 0)
redis.call('EXPIREAT', KEYS[1], math.ceil(tonumber(ARGV[2])))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
