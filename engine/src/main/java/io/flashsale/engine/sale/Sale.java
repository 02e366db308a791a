package io.flashsale.engine.sale;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayQueue;

/**
 * One sale's terms and moving state, owned by the business thread. Counts are in units.
 *
 * <p>Per-shopper maps hold only shoppers who reserved in this sale, so their size follows the
 * buyers, not the crowd.
 */
public final class Sale
{
    public final long id;
    public final String name;
    public final long stock;
    public final long startsAt;
    public final long endsAt;
    public final int perUserLimit;
    public final long paymentWindowMillis;

    public long available;
    public long reservedUnits;
    public long paidUnits;
    public long cancelledUnits;
    public long expiredUnits;
    public long distinctBuyers;

    /** Units each shopper holds (reserved or paid); absent means zero. */
    public final Long2LongHashMap heldByUser = new Long2LongHashMap(0);
    /** The newest order of each shopper in this sale; older ones are chained through the order book. */
    public final Long2LongHashMap newestOrderByUser = new Long2LongHashMap(0);
    /**
     * Reserved orders in creation order. The engine clock never goes back and the payment window
     * is fixed per sale, so this is also deadline order: expiry only ever looks at the head.
     */
    public final LongArrayQueue pendingPayment = new LongArrayQueue(0);

    public final SaleView view;
    boolean dirty;

    public Sale(
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
        this.view = new SaleView(id, name, stock, startsAt, endsAt, perUserLimit, paymentWindowMillis);
    }

    public SaleState stateAt(final long now)
    {
        return SaleState.at(now, startsAt, endsAt, available);
    }

    /** Remembers that the view is behind; returns true the first time since the last publish. */
    public boolean markDirty()
    {
        if (dirty)
        {
            return false;
        }
        dirty = true;
        return true;
    }

    /** Business thread only. */
    public void publishView(final long now)
    {
        dirty = false;
        view.publish(this, now);
    }

    public long held(final long userId)
    {
        return heldByUser.get(userId);
    }

    public void addHeld(final long userId, final long delta)
    {
        final long held = heldByUser.get(userId) + delta;
        if (held == 0)
        {
            heldByUser.remove(userId);
        }
        else
        {
            heldByUser.put(userId, held);
        }
    }
}
