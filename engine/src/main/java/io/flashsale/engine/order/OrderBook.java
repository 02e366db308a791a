package io.flashsale.engine.order;

import java.util.Arrays;

/**
 * Every order the engine has made, stored column by column in primitive arrays indexed by order
 * id (ids are dense and start at 1). Appending grows the arrays by doubling, so steady state
 * allocates nothing and a lookup is an array read.
 *
 * <p>Business thread only.
 */
public final class OrderBook
{
    private long[] saleId;
    private long[] userId;
    private int[] qty;
    private byte[] state;
    private long[] deadline;
    private long[] idempotencyKey;
    private long[] paymentRefHash;
    /** The same shopper's previous order in the same sale, 0 for none: a chain for idempotency. */
    private long[] previousOfUserInSale;
    /** The buyer's slot in the order's sale, so giving units back needs no hash lookup. */
    private int[] buyerSlot;
    private int count;

    public OrderBook(final int initialCapacity)
    {
        allocate(Math.max(16, initialCapacity));
    }

    /** A copy of {@code from}'s orders, arrays cut to their length: what a snapshot cut keeps. */
    private OrderBook(final OrderBook from)
    {
        final int length = Math.max(1, from.count);
        saleId = Arrays.copyOf(from.saleId, length);
        userId = Arrays.copyOf(from.userId, length);
        qty = Arrays.copyOf(from.qty, length);
        state = Arrays.copyOf(from.state, length);
        deadline = Arrays.copyOf(from.deadline, length);
        idempotencyKey = Arrays.copyOf(from.idempotencyKey, length);
        paymentRefHash = Arrays.copyOf(from.paymentRefHash, length);
        previousOfUserInSale = Arrays.copyOf(from.previousOfUserInSale, length);
        buyerSlot = Arrays.copyOf(from.buyerSlot, length);
        count = from.count;
    }

    /**
     * A copy of every order made so far, taken with array copies (memory speed, no per-order work),
     * so the business thread can cut a snapshot in milliseconds and another thread can serialise it.
     * The copy grows like any book if added to.
     */
    public OrderBook copy()
    {
        return new OrderBook(this);
    }

    private void allocate(final int capacity)
    {
        saleId = new long[capacity];
        userId = new long[capacity];
        qty = new int[capacity];
        state = new byte[capacity];
        deadline = new long[capacity];
        idempotencyKey = new long[capacity];
        paymentRefHash = new long[capacity];
        previousOfUserInSale = new long[capacity];
        buyerSlot = new int[capacity];
    }

    /** Orders made so far; also the id of the newest order. */
    public int count()
    {
        return count;
    }

    public boolean exists(final long orderId)
    {
        return orderId > 0 && orderId <= count;
    }

    /** Appends a RESERVED order and returns its id. */
    public long add(
        final long sale,
        final long user,
        final int units,
        final long paymentDeadline,
        final long key,
        final long previousOrderOfUser)
    {
        if (count == saleId.length)
        {
            grow();
        }
        final int i = count++;
        saleId[i] = sale;
        userId[i] = user;
        qty[i] = units;
        state[i] = OrderState.RESERVED.code();
        deadline[i] = paymentDeadline;
        idempotencyKey[i] = key;
        paymentRefHash[i] = 0;
        previousOfUserInSale[i] = previousOrderOfUser;
        buyerSlot[i] = 0;
        return count;
    }

    /** Restores one order exactly as it was (snapshot load); ids must arrive in order. */
    public void restore(
        final long orderId,
        final long sale,
        final long user,
        final int units,
        final OrderState orderState,
        final long paymentDeadline,
        final long key,
        final long paymentRef,
        final long previousOrderOfUser)
    {
        if (orderId != count + 1)
        {
            throw new IllegalStateException("order ids must be dense: expected " + (count + 1) + " got " + orderId);
        }
        add(sale, user, units, paymentDeadline, key, previousOrderOfUser);
        state[count - 1] = orderState.code();
        paymentRefHash[count - 1] = paymentRef;
    }

    private void grow()
    {
        final int capacity = saleId.length * 2;
        saleId = Arrays.copyOf(saleId, capacity);
        userId = Arrays.copyOf(userId, capacity);
        qty = Arrays.copyOf(qty, capacity);
        state = Arrays.copyOf(state, capacity);
        deadline = Arrays.copyOf(deadline, capacity);
        idempotencyKey = Arrays.copyOf(idempotencyKey, capacity);
        paymentRefHash = Arrays.copyOf(paymentRefHash, capacity);
        previousOfUserInSale = Arrays.copyOf(previousOfUserInSale, capacity);
        buyerSlot = Arrays.copyOf(buyerSlot, capacity);
    }

    public long saleId(final long orderId)
    {
        return saleId[index(orderId)];
    }

    public long userId(final long orderId)
    {
        return userId[index(orderId)];
    }

    public int qty(final long orderId)
    {
        return qty[index(orderId)];
    }

    public OrderState state(final long orderId)
    {
        return OrderState.fromCode(state[index(orderId)]);
    }

    public void state(final long orderId, final OrderState newState)
    {
        state[index(orderId)] = newState.code();
    }

    public long deadline(final long orderId)
    {
        return deadline[index(orderId)];
    }

    public long idempotencyKey(final long orderId)
    {
        return idempotencyKey[index(orderId)];
    }

    public long paymentRefHash(final long orderId)
    {
        return paymentRefHash[index(orderId)];
    }

    public void paymentRefHash(final long orderId, final long hash)
    {
        paymentRefHash[index(orderId)] = hash;
    }

    public long previousOfUserInSale(final long orderId)
    {
        return previousOfUserInSale[index(orderId)];
    }

    /** The buyer's slot in the order's sale (see {@code Sale#slotFor}). */
    public int buyerSlot(final long orderId)
    {
        return buyerSlot[index(orderId)];
    }

    public void buyerSlot(final long orderId, final int slot)
    {
        buyerSlot[index(orderId)] = slot;
    }

    private static int index(final long orderId)
    {
        return (int)(orderId - 1);
    }
}
