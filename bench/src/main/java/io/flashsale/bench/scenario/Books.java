package io.flashsale.bench.scenario;

/**
 * A sale's books as the server's admin API reports them, in units. The invariant every server must
 * keep: {@code available + reserved + paid == stock}.
 */
public record Books(long stock, long available, long reserved, long paid, long cancelled, long expired, long distinctBuyers)
{
    public boolean balances()
    {
        return available + reserved + paid == stock && available >= 0 && reserved >= 0 && paid >= 0;
    }

    public long oversold()
    {
        return Math.max(0, reserved + paid - stock);
    }

    @Override
    public String toString()
    {
        return String.format("stock %,d = available %,d + reserved %,d + paid %,d (cancelled %,d, expired %,d, buyers %,d)",
            stock, available, reserved, paid, cancelled, expired, distinctBuyers);
    }
}
