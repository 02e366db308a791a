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

    /**
     * The orders made so far, frozen for a snapshot cut, copying one byte an order. The columns an
     * order never changes once added (sale, shopper, quantity, deadline, idempotency key, previous
     * order) are shared, not copied: entries below {@link #count()} are written once, and growing
     * the book copies into new arrays, leaving these as they were. The state is copied. The payment
     * reference is shared too: it is set once, in the same step that makes the order PAID (a state
     * no order leaves), so the frozen state tells whether the cut saw it ({@link Frozen#paymentRefHash}).
     * Read-only; any thread once handed over.
     */
    public Frozen freeze()
    {
        return new Frozen(count, saleId, userId, qty, Arrays.copyOf(state, count), deadline, idempotencyKey,
            paymentRefHash, previousOfUserInSale);
    }

    /** A read-only cut of an order book; see {@link #freeze()}. */
    public static final class Frozen
    {
        private final int count;
        private final long[] saleId;
        private final long[] userId;
        private final int[] qty;
        private final byte[] state;
        private final long[] deadline;
        private final long[] idempotencyKey;
        private final long[] paymentRefHash;
        private final long[] previousOfUserInSale;

        private Frozen(final int count, final long[] saleId, final long[] userId, final int[] qty, final byte[] state,
            final long[] deadline, final long[] idempotencyKey, final long[] paymentRefHash, final long[] previousOfUserInSale)
        {
            this.count = count;
            this.saleId = saleId;
            this.userId = userId;
            this.qty = qty;
            this.state = state;
            this.deadline = deadline;
            this.idempotencyKey = idempotencyKey;
            this.paymentRefHash = paymentRefHash;
            this.previousOfUserInSale = previousOfUserInSale;
        }

        public int count()
        {
            return count;
        }

        public long saleId(final long orderId)
        {
            return saleId[frozenIndex(orderId)];
        }

        public long userId(final long orderId)
        {
            return userId[frozenIndex(orderId)];
        }

        public int qty(final long orderId)
        {
            return qty[frozenIndex(orderId)];
        }

        public byte stateCode(final long orderId)
        {
            return state[frozenIndex(orderId)];
        }

        public long deadline(final long orderId)
        {
            return deadline[frozenIndex(orderId)];
        }

        public long idempotencyKey(final long orderId)
        {
            return idempotencyKey[frozenIndex(orderId)];
        }

        /** The payment reference at the cut: an order paid after it had none yet. */
        public long paymentRefHash(final long orderId)
        {
            final int index = frozenIndex(orderId);
            return state[index] == OrderState.PAID.code() ? paymentRefHash[index] : 0;
        }

        public long previousOfUserInSale(final long orderId)
        {
            return previousOfUserInSale[frozenIndex(orderId)];
        }

        /** Shared arrays run past the cut: an id beyond it is a bug, not a read of newer orders. */
        private int frozenIndex(final long orderId)
        {
            if (orderId < 1 || orderId > count)
            {
                throw new IndexOutOfBoundsException("order " + orderId + " is not in this cut of " + count);
            }
            return (int)(orderId - 1);
        }
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
