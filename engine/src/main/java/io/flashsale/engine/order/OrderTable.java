package io.flashsale.engine.order;

import java.util.Arrays;

/**
 * Every order the engine has made, stored column by column in primitive arrays indexed by order
 * id (ids are dense and start at 1). Each column is a row of fixed-size pages of
 * {@code PAGE_SIZE} orders: order {@code id} is at page {@code (id - 1) >>> PAGE_SHIFT}, slot
 * {@code (id - 1) & PAGE_MASK}. When the last page is full, {@link #add} allocates one more page
 * per column and copies only the short arrays of page references, never an order: growing flat
 * arrays by doubling copied every order on the business thread and stalled every purchase for
 * tens of milliseconds once the table held a million orders. Pages are never moved or replaced.
 * Steady state allocates nothing and a lookup is two array reads.
 *
 * <p>Business thread only.
 */
public final class OrderTable
{
    /**
     * 2^14 orders a page: a page of longs is 128 KB, below G1's humongous-object threshold even
     * with its smallest (1 MB) regions, and a new page (about 0.9 MB over all columns) comes once
     * every 16,384 orders; the page-reference arrays stay short (64 entries at a million orders).
     */
    static final int PAGE_SHIFT = 14;
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SIZE - 1;

    private long[][] saleId;
    private long[][] userId;
    private int[][] qty;
    private byte[][] state;
    private long[][] deadline;
    private long[][] idempotencyKey;
    private long[][] paymentRefHash;
    /** The same shopper's previous order in the same sale, 0 for none: a chain for idempotency. */
    private long[][] previousOfUserInSale;
    /** The buyer's slot in the order's sale, so giving units back needs no hash lookup. */
    private int[][] buyerSlot;
    private int count;

    /** Allocates the pages {@code initialCapacity} orders need, at least one, so that a sized book never grows. */
    public OrderTable(final int initialCapacity)
    {
        allocate(initialCapacity <= 0 ? 1 : pagesFor(initialCapacity));
    }

    /**
     * The orders made so far, frozen for a snapshot cut, copying one byte an order. The columns an
     * order never changes once added (sale, shopper, quantity, deadline, idempotency key, previous
     * order) share their pages with the table, not copied: entries below {@link #count()} are written
     * once and pages are never moved or replaced. Only the arrays of page references are copied, up
     * to the page of the newest order, so pages the table adds later are not part of the cut. The
     * state is copied page by page. The payment reference is shared too: it is set once, in the same
     * step that makes the order PAID (a state no order leaves), so the frozen state tells whether the
     * cut saw it ({@link Frozen#paymentRefHash}).
     * Read-only; any thread once handed over.
     */
    public Frozen freeze()
    {
        final int pages = pagesFor(count);
        final byte[][] frozenState = new byte[pages][];
        for (int page = 0; page < pages; page++)
        {
            final int ordersOnPage = Math.min(PAGE_SIZE, count - (page << PAGE_SHIFT));
            frozenState[page] = Arrays.copyOf(state[page], ordersOnPage);
        }
        return new Frozen(count, Arrays.copyOf(saleId, pages), Arrays.copyOf(userId, pages), Arrays.copyOf(qty, pages),
            frozenState, Arrays.copyOf(deadline, pages), Arrays.copyOf(idempotencyKey, pages),
            Arrays.copyOf(paymentRefHash, pages), Arrays.copyOf(previousOfUserInSale, pages));
    }

    /** A read-only cut of an order table, paged as the table is; see {@link #freeze()}. */
    public static final class Frozen
    {
        private final int count;
        private final long[][] saleId;
        private final long[][] userId;
        private final int[][] qty;
        private final byte[][] state;
        private final long[][] deadline;
        private final long[][] idempotencyKey;
        private final long[][] paymentRefHash;
        private final long[][] previousOfUserInSale;

        private Frozen(final int count, final long[][] saleId, final long[][] userId, final int[][] qty, final byte[][] state,
            final long[][] deadline, final long[][] idempotencyKey, final long[][] paymentRefHash,
            final long[][] previousOfUserInSale)
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
            final int index = frozenIndex(orderId);
            return saleId[page(index)][slot(index)];
        }

        public long userId(final long orderId)
        {
            final int index = frozenIndex(orderId);
            return userId[page(index)][slot(index)];
        }

        public int qty(final long orderId)
        {
            final int index = frozenIndex(orderId);
            return qty[page(index)][slot(index)];
        }

        public byte stateCode(final long orderId)
        {
            final int index = frozenIndex(orderId);
            return state[page(index)][slot(index)];
        }

        public long deadline(final long orderId)
        {
            final int index = frozenIndex(orderId);
            return deadline[page(index)][slot(index)];
        }

        public long idempotencyKey(final long orderId)
        {
            final int index = frozenIndex(orderId);
            return idempotencyKey[page(index)][slot(index)];
        }

        /** The payment reference at the cut: an order paid after it had none yet. */
        public long paymentRefHash(final long orderId)
        {
            final int index = frozenIndex(orderId);
            final int page = page(index);
            final int slot = slot(index);
            return state[page][slot] == OrderState.PAID.code() ? paymentRefHash[page][slot] : 0;
        }

        public long previousOfUserInSale(final long orderId)
        {
            final int index = frozenIndex(orderId);
            return previousOfUserInSale[page(index)][slot(index)];
        }

        /** Shared pages run past the cut: an id beyond it is a bug, not a read of newer orders. */
        private int frozenIndex(final long orderId)
        {
            if (orderId < 1 || orderId > count)
            {
                throw new IndexOutOfBoundsException("order " + orderId + " is not in this cut of " + count);
            }
            return (int)(orderId - 1);
        }
    }

    private void allocate(final int pages)
    {
        saleId = new long[pages][PAGE_SIZE];
        userId = new long[pages][PAGE_SIZE];
        qty = new int[pages][PAGE_SIZE];
        state = new byte[pages][PAGE_SIZE];
        deadline = new long[pages][PAGE_SIZE];
        idempotencyKey = new long[pages][PAGE_SIZE];
        paymentRefHash = new long[pages][PAGE_SIZE];
        previousOfUserInSale = new long[pages][PAGE_SIZE];
        buyerSlot = new int[pages][PAGE_SIZE];
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
        final int i = count;
        final int page = page(i);
        if (page == saleId.length)
        {
            addPage();
        }
        final int slot = slot(i);
        saleId[page][slot] = sale;
        userId[page][slot] = user;
        qty[page][slot] = units;
        state[page][slot] = OrderState.RESERVED.code();
        deadline[page][slot] = paymentDeadline;
        idempotencyKey[page][slot] = key;
        paymentRefHash[page][slot] = 0;
        previousOfUserInSale[page][slot] = previousOrderOfUser;
        buyerSlot[page][slot] = 0;
        count = i + 1;
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
        state(orderId, orderState);
        paymentRefHash(orderId, paymentRef);
    }

    /** One more page per column; only the arrays of page references are copied, never an order. */
    private void addPage()
    {
        saleId = withNewPage(saleId);
        userId = withNewPage(userId);
        qty = withNewPage(qty);
        state = withNewPage(state);
        deadline = withNewPage(deadline);
        idempotencyKey = withNewPage(idempotencyKey);
        paymentRefHash = withNewPage(paymentRefHash);
        previousOfUserInSale = withNewPage(previousOfUserInSale);
        buyerSlot = withNewPage(buyerSlot);
    }

    private static long[][] withNewPage(final long[][] pages)
    {
        final long[][] grown = Arrays.copyOf(pages, pages.length + 1);
        grown[pages.length] = new long[PAGE_SIZE];
        return grown;
    }

    private static int[][] withNewPage(final int[][] pages)
    {
        final int[][] grown = Arrays.copyOf(pages, pages.length + 1);
        grown[pages.length] = new int[PAGE_SIZE];
        return grown;
    }

    private static byte[][] withNewPage(final byte[][] pages)
    {
        final byte[][] grown = Arrays.copyOf(pages, pages.length + 1);
        grown[pages.length] = new byte[PAGE_SIZE];
        return grown;
    }

    public long saleId(final long orderId)
    {
        final int index = index(orderId);
        return saleId[page(index)][slot(index)];
    }

    public long userId(final long orderId)
    {
        final int index = index(orderId);
        return userId[page(index)][slot(index)];
    }

    public int qty(final long orderId)
    {
        final int index = index(orderId);
        return qty[page(index)][slot(index)];
    }

    public OrderState state(final long orderId)
    {
        final int index = index(orderId);
        return OrderState.fromCode(state[page(index)][slot(index)]);
    }

    public void state(final long orderId, final OrderState newState)
    {
        final int index = index(orderId);
        state[page(index)][slot(index)] = newState.code();
    }

    public long deadline(final long orderId)
    {
        final int index = index(orderId);
        return deadline[page(index)][slot(index)];
    }

    public long idempotencyKey(final long orderId)
    {
        final int index = index(orderId);
        return idempotencyKey[page(index)][slot(index)];
    }

    public long paymentRefHash(final long orderId)
    {
        final int index = index(orderId);
        return paymentRefHash[page(index)][slot(index)];
    }

    public void paymentRefHash(final long orderId, final long hash)
    {
        final int index = index(orderId);
        paymentRefHash[page(index)][slot(index)] = hash;
    }

    public long previousOfUserInSale(final long orderId)
    {
        final int index = index(orderId);
        return previousOfUserInSale[page(index)][slot(index)];
    }

    /** The buyer's slot in the order's sale (see {@code Sale#slotFor}). */
    public int buyerSlot(final long orderId)
    {
        final int index = index(orderId);
        return buyerSlot[page(index)][slot(index)];
    }

    public void buyerSlot(final long orderId, final int slotInSale)
    {
        final int index = index(orderId);
        buyerSlot[page(index)][slot(index)] = slotInSale;
    }

    private static int index(final long orderId)
    {
        return (int)(orderId - 1);
    }

    /** A negative index (id 0 or below) gives a page past any book, so the read throws, as it did unpaged. */
    private static int page(final int index)
    {
        return index >>> PAGE_SHIFT;
    }

    private static int slot(final int index)
    {
        return index & PAGE_MASK;
    }

    /** Pages that hold {@code orders} orders; no overflow near Integer.MAX_VALUE. */
    private static int pagesFor(final int orders)
    {
        return orders == 0 ? 0 : ((orders - 1) >>> PAGE_SHIFT) + 1;
    }
}
