package io.flashsale.bench.baseline;

/**
 * The purchase as most shops run it today: one Lua script, atomic inside Redis. It checks the
 * stock, checks the buyer set against the per-user limit, decrements the stock, records the buyer,
 * and numbers the order. Keys: the sale's stock counter, its buyers hash (user → units held) and
 * its order counter. Arguments: user id, quantity, per-user limit. Answers the new order id, or
 * one of the negative codes below.
 */
final class PurchaseScript
{
    static final long SOLD_OUT = -1;
    static final long LIMIT_REACHED = -2;
    static final long UNKNOWN_SALE = -3;

    static final String LUA = String.join("\n",
        "local stock = tonumber(redis.call('GET', KEYS[1]))",
        "if stock == nil then return -3 end",
        "local qty = tonumber(ARGV[2])",
        "local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')",
        "if held + qty > tonumber(ARGV[3]) then return -2 end",
        "if stock < qty then return -1 end",
        "redis.call('DECRBY', KEYS[1], qty)",
        "redis.call('HINCRBY', KEYS[2], ARGV[1], qty)",
        "return redis.call('INCR', KEYS[3])");

    private PurchaseScript()
    {
    }

    static String[] keys(final long saleId)
    {
        return new String[] {"sale:" + saleId + ":stock", "sale:" + saleId + ":buyers", "sale:" + saleId + ":orders"};
    }
}
