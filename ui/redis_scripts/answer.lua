-- One answer, counted once: 1 counted, 0 not (already answered, another round, or revealed),
-- -1 no such room (or expired). Checked and counted in one step, so replicas cannot count twice.
-- KEYS: the room's hash, its answers, its counts. ARGV: round, voter, choice, now (s).
local room = redis.call('HMGET', KEYS[1], 'round', 'revealed', 'expires')
if not room[3] or tonumber(room[3]) <= tonumber(ARGV[4]) then
  return -1
end
if tonumber(room[1]) ~= tonumber(ARGV[1]) or room[2] == '1' then
  return 0
end
if redis.call('HSETNX', KEYS[2], ARGV[1] .. ':' .. ARGV[2], ARGV[3]) == 0 then
  return 0
end
redis.call('HINCRBY', KEYS[3], ARGV[1] .. ':' .. ARGV[3], 1)
local expires = math.ceil(tonumber(room[3]))
redis.call('EXPIREAT', KEYS[2], expires)
redis.call('EXPIREAT', KEYS[3], expires)
return 1
