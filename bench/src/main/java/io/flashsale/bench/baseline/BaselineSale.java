package io.flashsale.bench.baseline;

/**
 * A sale's terms as the Redis baseline's front keeps them in memory (the stock lives in Redis).
 * Immutable; any thread.
 */
record BaselineSale(long id, String name, long stock, long startsAtMillis, long endsAtMillis, long perUserLimit, long paymentWindowSeconds)
{
    String[] keys()
    {
        return PurchaseScript.keys(id);
    }
}
