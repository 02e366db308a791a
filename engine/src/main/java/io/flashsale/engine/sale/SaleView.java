package io.flashsale.engine.sale;

/**
 * What the fronts may know about one sale, published by the business thread after each ring
 * batch and read by any thread without locks.
 *
 * <p>The sale's terms never change and are plain finals. The moving counts are written by the
 * single business thread under a sequence number (a seqlock): {@link #readCounts} retries until
 * it sees one consistent cut, so {@code available + reserved + paid == stock} holds in what a
 * reader gets. {@link #available()} alone is a single volatile read, the cheapest gate there is.
 */
public final class SaleView
{
    public final long id;
    public final String name;
    public final long stock;
    public final long startsAt;
    public final long endsAt;
    public final int perUserLimit;
    public final long paymentWindowMillis;

    private volatile long version;
    private volatile long available;
    private volatile long reserved;
    private volatile long paid;
    private volatile long cancelled;
    private volatile long expired;
    private volatile long distinctBuyers;
    private volatile long engineTime;

    public SaleView(
        final long id,
        final String name,
        final long stock,
        final long startsAt,
        final long endsAt,
        final int perUserLimit,
        final long paymentWindowMillis)
    {
        this.id = id;
        this.name = name;
        this.stock = stock;
        this.startsAt = startsAt;
        this.endsAt = endsAt;
        this.perUserLimit = perUserLimit;
        this.paymentWindowMillis = paymentWindowMillis;
        this.available = stock;
    }

    /** Business thread only. */
    void publish(final Sale sale, final long now)
    {
        write(sale.available, sale.reservedUnits, sale.paidUnits, sale.cancelledUnits, sale.expiredUnits, sale.distinctBuyers, now);
    }

    /**
     * Publishes counts that another process's engine published (an edge's copy of the core's
     * view, fed by the link), so readers there use the same view and the same seqlock as here.
     * One writer thread only (that link's agent).
     */
    public void publish(final SaleCounts counts)
    {
        write(counts.available, counts.reserved, counts.paid, counts.cancelled, counts.expired, counts.distinctBuyers, counts.engineTime);
    }

    private void write(
        final long available,
        final long reserved,
        final long paid,
        final long cancelled,
        final long expired,
        final long distinctBuyers,
        final long engineTime)
    {
        final long v = version;
        version = v + 1;
        this.available = available;
        this.reserved = reserved;
        this.paid = paid;
        this.cancelled = cancelled;
        this.expired = expired;
        this.distinctBuyers = distinctBuyers;
        this.engineTime = engineTime;
        version = v + 2;
    }

    /** Units that can be bought right now, as of the last published batch. Any thread. */
    public long available()
    {
        return available;
    }

    /** The sale's state at the caller's clock, from the last published units. Any thread. */
    public SaleState stateAt(final long now)
    {
        return SaleState.at(now, startsAt, endsAt, available);
    }

    /** Copies one consistent cut of the counts into {@code into} and returns it. Any thread. */
    public SaleCounts readCounts(final SaleCounts into)
    {
        while (true)
        {
            final long before = version;
            if ((before & 1) == 0)
            {
                into.available = available;
                into.reserved = reserved;
                into.paid = paid;
                into.cancelled = cancelled;
                into.expired = expired;
                into.distinctBuyers = distinctBuyers;
                into.engineTime = engineTime;
                if (version == before)
                {
                    return into;
                }
            }
            Thread.onSpinWait();
        }
    }
}
