package io.flashsale.engine.sale;

import org.agrona.collections.LongArrayQueue;

/**
 * One sale's terms and moving state, owned by the business thread. Counts are in units.
 *
 * <p>Per-shopper maps hold only shoppers who reserved in this sale, so their size follows the
 * buyers, not the crowd.
 */
public final class Sale
{
    /** What {@link #slotOf} answers for a shopper who never reserved here. */
    public static final int NO_SLOT = -1;

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

    /**
     * Each shopper who ever reserved in this sale has a slot: one hash lookup finds both the
     * units they hold and their newest order, and slots are never removed, so a shopper buying,
     * cancelling and buying again does not churn the map. Slots follow buyers, not the crowd.
     */
    private final BuyerSlots buyers = new BuyerSlots();

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

    /** The shopper's slot, or {@link #NO_SLOT} if they never reserved in this sale. */
    public int slotOf(final long userId)
    {
        return buyers.slotOf(userId);
    }

    /** The shopper's slot, made on their first reservation. */
    public int slotFor(final long userId)
    {
        final int slot = buyers.slotFor(userId);
        distinctBuyers = buyers.count();
        return slot;
    }

    /** Units (reserved or paid) the shopper holds in this sale. */
    public long held(final long userId)
    {
        final int slot = slotOf(userId);
        return slot == NO_SLOT ? 0 : buyers.held(slot);
    }

    public long heldInSlot(final int slot)
    {
        return buyers.held(slot);
    }

    public void addHeldInSlot(final int slot, final long delta)
    {
        buyers.addHeld(slot, delta);
    }

    /** The shopper's newest order in this sale (older ones chain through the order book), 0 for none. */
    public long newestOrder(final long userId)
    {
        final int slot = slotOf(userId);
        return slot == NO_SLOT ? 0 : buyers.newestOrder(slot);
    }

    /** The newest order of the shopper in this slot, 0 for none. */
    public long newestOrderInSlot(final int slot)
    {
        return buyers.newestOrder(slot);
    }

    public void newestOrderInSlot(final int slot, final long orderId)
    {
        buyers.newestOrder(slot, orderId);
    }
}
