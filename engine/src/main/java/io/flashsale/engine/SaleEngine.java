package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderTable;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.Sale;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.engine.shopper.ShopperSubjects;

import java.util.Arrays;

/**
 * The deterministic flash-sale state machine: applies one command at a time and writes the
 * outcome into the command. It never reads a clock: time is the largest timestamp of a journaled
 * command seen, so the same command stream always yields the same state, outcomes and order ids,
 * and replaying only the journaled commands rebuilds exactly the state the live engine had.
 * Commands that are not journaled (QUERY_ORDER, SNAPSHOT) read the state at the current engine
 * time and change nothing, not even the clock.
 *
 * <p>Rules, in the order a purchase meets them: unknown sale; invalid shopper or quantity
 * (quantity must be 1..per-user limit); repeated idempotency key (returns the first order,
 * buys nothing); not started; ended; above the per-user limit (units reserved or paid); fewer
 * units left than asked for (SOLD_OUT). Before every command, unpaid orders whose deadline is
 * at or before the engine time expire and give their units back.
 *
 * <p>A reserving purchase that carries its shopper's subject (the shop's own id for the customer)
 * names the shopper, once: the first subject seen for a shopper id is kept ({@link ShopperSubjects}),
 * and an admin's INSPECT_ORDER answers it with the order.
 *
 * <p>Single-threaded by design: only the business thread may call it. No locks, and no
 * allocation per command once the maps and arrays have grown to the working size.
 */
public final class SaleEngine
{
    private static final long NO_EXPIRY = Long.MAX_VALUE;

    private final OrderTable orders;
    private final ShopperSubjects subjects = new ShopperSubjects();
    /** False once restored from a snapshot that predates subjects: the shoppers it held are unnamed. */
    private boolean namesEveryShopper = true;
    private final SaleViews views;
    private Sale[] sales = new Sale[0];
    private int saleCount;

    private Sale[] dirtySales = new Sale[4];
    private int dirtyCount;

    private long now = Long.MIN_VALUE;
    private long nextExpiryAt = NO_EXPIRY;
    /** Journaled commands applied so far: the position a snapshot covers. */
    private long appliedCount;

    public SaleEngine()
    {
        this(1024, new SaleViews());
    }

    public SaleEngine(final int initialOrderCapacity, final SaleViews views)
    {
        this.orders = new OrderTable(initialOrderCapacity);
        this.views = views;
    }

    /** Applies one command: fills its result fields, changes state as the rules say. */
    public void apply(final CommandEvent command)
    {
        command.clearResult();
        if (command.type.isJournaled())
        {
            // A replay never sees unjournaled commands, so they must not move time or expire orders.
            advanceClock(command.timestamp);
        }
        switch (command.type)
        {
            case PURCHASE -> purchase(command);
            case PAY -> pay(command);
            case CANCEL -> cancel(command);
            case QUERY_ORDER -> queryOrder(command);
            case INSPECT_ORDER -> inspectOrder(command);
            case CREATE_SALE -> createSale(command);
            case TICK, SNAPSHOT -> command.outcome = Outcome.OK;
            default -> command.outcome = Outcome.INVALID;
        }
        if (command.type.isJournaled())
        {
            appliedCount++;
        }
    }

    /** Publishes the view of every sale touched since the last call. Business thread only. */
    public void publishViews()
    {
        for (int i = 0; i < dirtyCount; i++)
        {
            dirtySales[i].publishView(now);
            dirtySales[i] = null;
        }
        dirtyCount = 0;
    }

    private void advanceClock(final long timestamp)
    {
        if (timestamp > now)
        {
            now = timestamp;
        }
        if (now >= nextExpiryAt)
        {
            expireDue();
        }
    }

    private void expireDue()
    {
        long earliest = NO_EXPIRY;
        for (int s = 0; s < saleCount; s++)
        {
            final Sale sale = sales[s];
            while (!sale.pendingPayment.isEmpty())
            {
                final long orderId = sale.pendingPayment.peekLong();
                if (orders.state(orderId) != OrderState.RESERVED)
                {
                    sale.pendingPayment.pollLong();
                    continue;
                }
                final long deadline = orders.deadline(orderId);
                if (deadline > now)
                {
                    earliest = Math.min(earliest, deadline);
                    break;
                }
                sale.pendingPayment.pollLong();
                release(sale, orderId, OrderState.EXPIRED);
            }
        }
        nextExpiryAt = earliest;
    }

    private void purchase(final CommandEvent command)
    {
        final Sale sale = sale(command.saleId);
        if (sale == null)
        {
            command.outcome = Outcome.UNKNOWN_SALE;
            return;
        }
        final long user = command.userId;
        final int qty = command.qty;
        if (user <= 0 || qty <= 0 || qty > sale.perUserLimit)
        {
            command.outcome = Outcome.INVALID;
            return;
        }
        final int existingSlot = sale.slotOf(user);
        final long newestOrder = existingSlot == Sale.NO_SLOT ? 0 : sale.newestOrderInSlot(existingSlot);
        if (command.idempotencyKey != 0)
        {
            final long original = findByKey(newestOrder, command.idempotencyKey);
            if (original != 0)
            {
                describe(command, original, Outcome.DUPLICATE);
                return;
            }
        }
        if (now < sale.startsAt)
        {
            command.outcome = Outcome.NOT_STARTED;
            return;
        }
        if (now >= sale.endsAt)
        {
            command.outcome = Outcome.ENDED;
            return;
        }
        final long held = existingSlot == Sale.NO_SLOT ? 0 : sale.heldInSlot(existingSlot);
        if (held + qty > sale.perUserLimit)
        {
            command.outcome = Outcome.LIMIT_REACHED;
            return;
        }
        if (sale.available < qty)
        {
            command.outcome = Outcome.SOLD_OUT;
            return;
        }

        final long deadline = paymentDeadline(sale.paymentWindowMillis);
        final long orderId = orders.add(sale.id, user, qty, deadline, command.idempotencyKey, newestOrder);
        final int slot = existingSlot == Sale.NO_SLOT ? sale.slotFor(user) : existingSlot;
        orders.buyerSlot(orderId, slot);
        sale.newestOrderInSlot(slot, orderId);
        sale.addHeldInSlot(slot, qty);
        sale.available -= qty;
        sale.reservedUnits += qty;
        nextExpiryAt = Math.min(nextExpiryAt, deadline);
        sale.pendingPayment.offerLong(orderId);
        touched(sale);
        subjects.name(user, command.textBytes(), command.textLength());
        describe(command, orderId, Outcome.RESERVED);
    }

    /** Now plus the window; a window too long for the clock to count (e.g. Long.MAX_VALUE) never closes. */
    private long paymentDeadline(final long windowMillis)
    {
        final long deadline = now + windowMillis;
        return deadline < now ? Long.MAX_VALUE : deadline;
    }

    private long findByKey(final long newestOrder, final long key)
    {
        for (long orderId = newestOrder; orderId != 0; orderId = orders.previousOfUserInSale(orderId))
        {
            if (orders.idempotencyKey(orderId) == key)
            {
                return orderId;
            }
        }
        return 0;
    }

    private void pay(final CommandEvent command)
    {
        final long orderId = ownedOrder(command);
        if (orderId == 0)
        {
            return;
        }
        final OrderState state = orders.state(orderId);
        if (state == OrderState.RESERVED)
        {
            final Sale sale = sales[(int)(orders.saleId(orderId) - 1)];
            final int qty = orders.qty(orderId);
            orders.state(orderId, OrderState.PAID);
            orders.paymentRefHash(orderId, command.textHash());
            sale.reservedUnits -= qty;
            sale.paidUnits += qty;
            touched(sale);
            describe(command, orderId, Outcome.PAID);
            return;
        }
        describe(command, orderId, closedOutcome(state));
    }

    private void cancel(final CommandEvent command)
    {
        final long orderId = ownedOrder(command);
        if (orderId == 0)
        {
            return;
        }
        final OrderState state = orders.state(orderId);
        if (state == OrderState.RESERVED)
        {
            release(sales[(int)(orders.saleId(orderId) - 1)], orderId, OrderState.CANCELLED);
            describe(command, orderId, Outcome.CANCELLED);
            return;
        }
        describe(command, orderId, closedOutcome(state));
    }

    private void queryOrder(final CommandEvent command)
    {
        final long orderId = ownedOrder(command);
        if (orderId != 0)
        {
            describe(command, orderId, Outcome.OK);
        }
    }

    /** Any order, for an admin: no owner check; the result names the shopper and the reservation time. */
    private void inspectOrder(final CommandEvent command)
    {
        final long orderId = command.orderId;
        if (!orders.exists(orderId))
        {
            command.outcome = Outcome.UNKNOWN_ORDER;
            return;
        }
        describe(command, orderId, Outcome.OK);
        final long deadline = orders.deadline(orderId);
        // The deadline is the reservation time plus the sale's window, unless that overflowed (a window that never closes).
        command.resultReservedAt = deadline == Long.MAX_VALUE
            ? Long.MIN_VALUE
            : deadline - sales[(int)(orders.saleId(orderId) - 1)].paymentWindowMillis;
        command.resultSubject = subjects.subjectOf(orders.userId(orderId));
    }

    /** The order named by the command if the command's user owns it; else 0 with the outcome set. */
    private long ownedOrder(final CommandEvent command)
    {
        final long orderId = command.orderId;
        if (!orders.exists(orderId))
        {
            command.outcome = Outcome.UNKNOWN_ORDER;
            return 0;
        }
        if (orders.userId(orderId) != command.userId)
        {
            command.outcome = Outcome.NOT_OWNER;
            return 0;
        }
        return orderId;
    }

    private static Outcome closedOutcome(final OrderState state)
    {
        return switch (state)
        {
            case PAID -> Outcome.ALREADY_PAID;
            case CANCELLED -> Outcome.ALREADY_CANCELLED;
            case EXPIRED -> Outcome.EXPIRED;
            case RESERVED -> throw new IllegalStateException("a reserved order is not closed");
        };
    }

    /** Gives a reserved order's units back to its sale. */
    private void release(final Sale sale, final long orderId, final OrderState endState)
    {
        final int qty = orders.qty(orderId);
        orders.state(orderId, endState);
        sale.reservedUnits -= qty;
        sale.available += qty;
        if (endState == OrderState.EXPIRED)
        {
            sale.expiredUnits += qty;
        }
        else
        {
            sale.cancelledUnits += qty;
        }
        sale.addHeldInSlot(orders.buyerSlot(orderId), -qty);
        touched(sale);
    }

    private void createSale(final CommandEvent command)
    {
        if (command.stock <= 0 || command.stock > Integer.MAX_VALUE ||
            command.endsAt <= command.startsAt ||
            command.perUserLimit <= 0 ||
            command.paymentWindowMillis <= 0)
        {
            command.outcome = Outcome.INVALID;
            return;
        }
        final Sale sale = new Sale(
            saleCount + 1,
            command.textAsString(),
            command.stock,
            command.startsAt,
            command.endsAt,
            command.perUserLimit,
            command.paymentWindowMillis);
        addSale(sale);
        command.outcome = Outcome.SALE_CREATED;
        command.resultSaleId = sale.id;
    }

    private void addSale(final Sale sale)
    {
        if (saleCount == sales.length)
        {
            sales = Arrays.copyOf(sales, Math.max(4, saleCount * 2));
        }
        sales[saleCount++] = sale;
        views.add(sale.view);
        touched(sale);
    }

    private void describe(final CommandEvent command, final long orderId, final Outcome outcome)
    {
        command.outcome = outcome;
        command.resultOrderId = orderId;
        command.resultSaleId = orders.saleId(orderId);
        command.resultUserId = orders.userId(orderId);
        command.resultQty = orders.qty(orderId);
        command.resultDeadline = orders.deadline(orderId);
        command.resultOrderState = orders.state(orderId);
    }

    private void touched(final Sale sale)
    {
        if (sale.markDirty())
        {
            if (dirtyCount == dirtySales.length)
            {
                dirtySales = Arrays.copyOf(dirtySales, dirtyCount * 2);
            }
            dirtySales[dirtyCount++] = sale;
        }
    }

    // ---- reads for tests, tools, snapshots (business thread, or after the ring has stopped)

    public Sale sale(final long saleId)
    {
        return saleId > 0 && saleId <= saleCount ? sales[(int)(saleId - 1)] : null;
    }

    public int saleCount()
    {
        return saleCount;
    }

    public OrderTable orders()
    {
        return orders;
    }

    public SaleViews views()
    {
        return views;
    }

    /** The shoppers named by their purchases so far. */
    public ShopperSubjects subjects()
    {
        return subjects;
    }

    /**
     * True unless this engine was restored from a snapshot written before subjects were kept: then
     * the shoppers that snapshot held stay unnamed until a purchase names them again, and a state
     * replayed from the whole journal may name more shoppers than this one.
     */
    public boolean namesEveryShopper()
    {
        return namesEveryShopper;
    }

    /** The engine clock: the largest journaled command timestamp applied, or Long.MIN_VALUE before any. */
    public long now()
    {
        return now;
    }

    public long appliedCount()
    {
        return appliedCount;
    }

    // ---- restore, used by EngineSnapshot

    void restoreClock(final long engineNow, final long applied)
    {
        this.now = engineNow;
        this.appliedCount = applied;
    }

    void restoreNamesEveryShopper(final boolean everyShopper)
    {
        this.namesEveryShopper = everyShopper;
    }

    void restoreSale(final Sale sale)
    {
        addSale(sale);
    }

    /** Rebuilds the per-shopper indexes and expiry queues from the order table after a restore. */
    void rebuildIndexes()
    {
        long earliest = NO_EXPIRY;
        for (long orderId = 1; orderId <= orders.count(); orderId++)
        {
            final Sale sale = sales[(int)(orders.saleId(orderId) - 1)];
            final int slot = sale.slotFor(orders.userId(orderId));
            orders.buyerSlot(orderId, slot);
            sale.newestOrderInSlot(slot, orderId);
            final OrderState state = orders.state(orderId);
            if (state == OrderState.RESERVED || state == OrderState.PAID)
            {
                sale.addHeldInSlot(slot, orders.qty(orderId));
            }
            if (state == OrderState.RESERVED)
            {
                sale.pendingPayment.offerLong(orderId);
                earliest = Math.min(earliest, orders.deadline(orderId));
            }
        }
        nextExpiryAt = earliest;
        publishViews();
    }
}
