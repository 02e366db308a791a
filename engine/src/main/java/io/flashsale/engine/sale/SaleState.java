package io.flashsale.engine.sale;

/** Where a sale stands at a given engine time. Derived from the clock and the units left. */
public enum SaleState
{
    SCHEDULED,
    OPEN,
    /** No units available right now; the sale reopens if reserved units come back before it ends. */
    SOLD_OUT,
    ENDED;

    public static SaleState at(final long now, final long startsAt, final long endsAt, final long available)
    {
        if (now >= endsAt)
        {
            return ENDED;
        }
        if (now < startsAt)
        {
            return SCHEDULED;
        }
        return available > 0 ? OPEN : SOLD_OUT;
    }
}
