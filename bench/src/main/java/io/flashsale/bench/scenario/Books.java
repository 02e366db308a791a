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

    /** Units the sale ever reserved: those still held, paid, or given back by a cancellation or an expiry. */
    public long everReserved()
    {
        return reserved + paid + cancelled + expired;
    }

    /**
     * Never oversold, judged against what the crowd was told as well as the books' own arithmetic:
     * they balance, hold no more than the stock, and the units they ever reserved are the units
     * acknowledged to the crowd (201s), plus at most those of purchases that got no answer (each
     * may or may not have reserved).
     */
    public Check neverOversold(final long acknowledgedUnits, final long unansweredUnits)
    {
        final boolean told = everReserved() >= acknowledgedUnits && everReserved() <= acknowledgedUnits + unansweredUnits;
        return Check.of("never oversold: the books balance and hold exactly the units the crowd was told were reserved",
            balances() && oversold() == 0 && told,
            String.format("%s; %,d units ever reserved on the books, %,d acknowledged to the crowd%s", this, everReserved(),
                acknowledgedUnits, unansweredUnits == 0 ? "" : String.format(" plus %,d purchases without an answer", unansweredUnits)));
    }

    @Override
    public String toString()
    {
        return String.format("stock %,d = available %,d + reserved %,d + paid %,d (cancelled %,d, expired %,d, buyers %,d)",
            stock, available, reserved, paid, cancelled, expired, distinctBuyers);
    }
}
