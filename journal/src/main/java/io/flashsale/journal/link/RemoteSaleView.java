package io.flashsale.journal.link;

import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleState;

/**
 * An edge's copy of one sale's view and admission probability, as last pushed by the core.
 *
 * <p>The terms are finals (a sale's terms never change; a change of terms makes a new object).
 * The counts are written by the link client's agent thread under a sequence number (a seqlock,
 * as {@link io.flashsale.engine.sale.SaleView} does), so {@link #readCounts} returns one consistent
 * cut; {@link #available()} and {@link #admissionProbability()} are single volatile reads. Any
 * thread reads; only the agent writes.
 */
public final class RemoteSaleView
{
    public final long id;
    public final String name;
    public final long stock;
    public final long startsAt;
    public final long endsAt;
    public final int perUserLimit;
    public final long paymentWindowMillis;
    final byte[] nameUtf8;

    private volatile long version;
    private volatile long available;
    private volatile long reserved;
    private volatile long paid;
    private volatile long cancelled;
    private volatile long expired;
    private volatile long distinctBuyers;
    private volatile long engineTime;
    private volatile SaleState coreState;
    private volatile double admissionProbability = 1.0;
    private volatile long updatedNanos;

    RemoteSaleView(
        final long id,
        final byte[] nameUtf8,
        final long stock,
        final long startsAt,
        final long endsAt,
        final int perUserLimit,
        final long paymentWindowMillis)
    {
        this.id = id;
        this.nameUtf8 = nameUtf8;
        this.name = new String(nameUtf8, java.nio.charset.StandardCharsets.UTF_8);
        this.stock = stock;
        this.startsAt = startsAt;
        this.endsAt = endsAt;
        this.perUserLimit = perUserLimit;
        this.paymentWindowMillis = paymentWindowMillis;
        this.available = stock;
    }

    /** Agent thread only. */
    void publish(
        final long available,
        final long reserved,
        final long paid,
        final long cancelled,
        final long expired,
        final long distinctBuyers,
        final long engineTime,
        final SaleState coreState,
        final long nowNanos)
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
        this.coreState = coreState;
        version = v + 2;
        updatedNanos = nowNanos;
    }

    /** Agent thread only. */
    void admission(final double probability, final long nowNanos)
    {
        admissionProbability = probability;
        updatedNanos = nowNanos;
    }

    /** Units left as of the last push. Any thread. */
    public long available()
    {
        return available;
    }

    /** The probability every attempt at this sale is admitted with (1 until the core says otherwise). Any thread. */
    public double admissionProbability()
    {
        return admissionProbability;
    }

    /** The state at {@code coreNowMillis} (the core's clock, see {@link LinkClient#coreTimeMillis()}). Any thread. */
    public SaleState stateAt(final long coreNowMillis)
    {
        return SaleState.at(coreNowMillis, startsAt, endsAt, available);
    }

    /** The state the core computed when it pushed the view (null before the first push). Any thread. */
    public SaleState coreState()
    {
        return coreState;
    }

    /** {@link System#nanoTime()} of the last push of the view or of the probability. Any thread. */
    public long updatedNanos()
    {
        return updatedNanos;
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
