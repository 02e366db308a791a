package io.flashsale.engine.model;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The oracle for {@link io.flashsale.engine.SaleEngine}: the same rules written as plainly as
 * possible, with ordinary lists and full scans, no indexes and no cleverness. Slow on purpose;
 * meant for command streams of a few hundred commands.
 *
 * <p>Counts are never stored: units available, reserved, paid, cancelled and expired are summed
 * from the orders each time, so the model cannot drift the way a counter can.
 *
 * <p>Not thread-safe; one test thread.
 */
public final class ReferenceEngine
{
    /** The result fields the engine writes into a command, as one value. */
    public record Result(
        Outcome outcome, long orderId, long saleId, long userId, int qty, long deadline, OrderState orderState,
        long reservedAt, String subject)
    {
        public static Result of(final CommandEvent command)
        {
            return new Result(
                command.outcome, command.resultOrderId, command.resultSaleId, command.resultUserId,
                command.resultQty, command.resultDeadline, command.resultOrderState,
                command.resultReservedAt, command.resultSubject);
        }

        static Result bare(final Outcome outcome)
        {
            return new Result(outcome, 0, 0, 0, 0, 0, null, 0, null);
        }

        static Result of(final Outcome outcome, final Order order)
        {
            return new Result(outcome, order.id, order.saleId, order.userId, order.qty, order.deadline, order.state, 0, null);
        }
    }

    private static final class Sale
    {
        long id;
        String name;
        long stock;
        long startsAt;
        long endsAt;
        int perUserLimit;
        long paymentWindowMillis;
    }

    private static final class Order
    {
        long id;
        long saleId;
        long userId;
        int qty;
        long deadline;
        long idempotencyKey;
        long paymentRefHash;
        OrderState state;
        long reservedAt;
    }

    private final List<Sale> sales = new ArrayList<>();
    private final List<Order> orders = new ArrayList<>();
    /** Shopper id to the first subject a reserving purchase gave, in the order first named. */
    private final Map<Long, String> subjects = new LinkedHashMap<>();
    private long now = Long.MIN_VALUE;
    private long appliedCount;

    /** Applies one command; reads only its input fields and leaves the event untouched. */
    public Result apply(final CommandEvent command)
    {
        // The clock is the largest timestamp of a journaled command seen; it never goes back.
        // Queries and snapshots are not journaled, so they read the state and change nothing.
        if (command.type.isJournaled())
        {
            now = Math.max(now, command.timestamp);
            expireOverdueOrders();
            appliedCount++;
        }
        return switch (command.type)
        {
            case CREATE_SALE -> createSale(command);
            case PURCHASE -> purchase(command);
            case PAY -> pay(command);
            case CANCEL -> cancel(command);
            case QUERY_ORDER -> queryOrder(command);
            case INSPECT_ORDER -> inspectOrder(command);
            case TICK, SNAPSHOT -> Result.bare(Outcome.OK);
        };
    }

    private void expireOverdueOrders()
    {
        for (final Order order : orders)
        {
            if (order.state == OrderState.RESERVED && order.deadline <= now)
            {
                order.state = OrderState.EXPIRED;
            }
        }
    }

    private Result createSale(final CommandEvent c)
    {
        final boolean valid = c.stock > 0 && c.stock <= Integer.MAX_VALUE && c.endsAt > c.startsAt &&
            c.perUserLimit > 0 && c.paymentWindowMillis > 0;
        if (!valid)
        {
            return Result.bare(Outcome.INVALID);
        }
        final Sale sale = new Sale();
        sale.id = sales.size() + 1;
        sale.name = c.textAsString();
        sale.stock = c.stock;
        sale.startsAt = c.startsAt;
        sale.endsAt = c.endsAt;
        sale.perUserLimit = c.perUserLimit;
        sale.paymentWindowMillis = c.paymentWindowMillis;
        sales.add(sale);
        return new Result(Outcome.SALE_CREATED, 0, sale.id, 0, 0, 0, null, 0, null);
    }

    private Result purchase(final CommandEvent c)
    {
        final Sale sale = sale(c.saleId);
        if (sale == null)
        {
            return Result.bare(Outcome.UNKNOWN_SALE);
        }
        if (c.userId <= 0 || c.qty <= 0 || c.qty > sale.perUserLimit)
        {
            return Result.bare(Outcome.INVALID);
        }
        if (c.idempotencyKey != 0)
        {
            for (final Order order : orders)
            {
                if (order.saleId == sale.id && order.userId == c.userId && order.idempotencyKey == c.idempotencyKey)
                {
                    return Result.of(Outcome.DUPLICATE, order);
                }
            }
        }
        if (now < sale.startsAt)
        {
            return Result.bare(Outcome.NOT_STARTED);
        }
        if (now >= sale.endsAt)
        {
            return Result.bare(Outcome.ENDED);
        }
        if (unitsHeld(sale.id, c.userId) + c.qty > sale.perUserLimit)
        {
            return Result.bare(Outcome.LIMIT_REACHED);
        }
        if (available(sale) < c.qty)
        {
            return Result.bare(Outcome.SOLD_OUT);
        }
        final Order order = new Order();
        order.id = orders.size() + 1;
        order.saleId = sale.id;
        order.userId = c.userId;
        order.qty = c.qty;
        order.deadline = deadline(now, sale.paymentWindowMillis);
        order.idempotencyKey = c.idempotencyKey;
        order.state = OrderState.RESERVED;
        order.reservedAt = now;
        orders.add(order);
        if (c.textLength() > 0)
        {
            subjects.putIfAbsent(c.userId, c.textAsString());
        }
        return Result.of(Outcome.RESERVED, order);
    }

    /** Now plus the window, or never (Long.MAX_VALUE) when the sum does not fit in a long. */
    private static long deadline(final long now, final long windowMillis)
    {
        try
        {
            return Math.addExact(now, windowMillis);
        }
        catch (final ArithmeticException overflow)
        {
            return Long.MAX_VALUE;
        }
    }

    private Result pay(final CommandEvent c)
    {
        final Order order = order(c.orderId);
        if (order == null)
        {
            return Result.bare(Outcome.UNKNOWN_ORDER);
        }
        if (order.userId != c.userId)
        {
            return Result.bare(Outcome.NOT_OWNER);
        }
        return switch (order.state)
        {
            case RESERVED ->
            {
                order.state = OrderState.PAID;
                order.paymentRefHash = fnv1a(c.textAsString().getBytes(StandardCharsets.UTF_8));
                yield Result.of(Outcome.PAID, order);
            }
            case PAID -> Result.of(Outcome.ALREADY_PAID, order);
            case CANCELLED -> Result.of(Outcome.ALREADY_CANCELLED, order);
            case EXPIRED -> Result.of(Outcome.EXPIRED, order);
        };
    }

    private Result cancel(final CommandEvent c)
    {
        final Order order = order(c.orderId);
        if (order == null)
        {
            return Result.bare(Outcome.UNKNOWN_ORDER);
        }
        if (order.userId != c.userId)
        {
            return Result.bare(Outcome.NOT_OWNER);
        }
        return switch (order.state)
        {
            case RESERVED ->
            {
                order.state = OrderState.CANCELLED;
                yield Result.of(Outcome.CANCELLED, order);
            }
            case PAID -> Result.of(Outcome.ALREADY_PAID, order);
            case CANCELLED -> Result.of(Outcome.ALREADY_CANCELLED, order);
            case EXPIRED -> Result.of(Outcome.EXPIRED, order);
        };
    }

    private Result queryOrder(final CommandEvent c)
    {
        final Order order = order(c.orderId);
        if (order == null)
        {
            return Result.bare(Outcome.UNKNOWN_ORDER);
        }
        if (order.userId != c.userId)
        {
            return Result.bare(Outcome.NOT_OWNER);
        }
        return Result.of(Outcome.OK, order);
    }

    private Result inspectOrder(final CommandEvent c)
    {
        final Order order = order(c.orderId);
        if (order == null)
        {
            return Result.bare(Outcome.UNKNOWN_ORDER);
        }
        // A payment window that never closes leaves no deadline to tell the reservation time by.
        final long reservedAt = order.deadline == Long.MAX_VALUE ? Long.MIN_VALUE : order.reservedAt;
        return new Result(Outcome.OK, order.id, order.saleId, order.userId, order.qty, order.deadline, order.state,
            reservedAt, subjects.get(order.userId));
    }

    private Sale sale(final long id)
    {
        for (final Sale sale : sales)
        {
            if (sale.id == id)
            {
                return sale;
            }
        }
        return null;
    }

    private Order order(final long id)
    {
        for (final Order order : orders)
        {
            if (order.id == id)
            {
                return order;
            }
        }
        return null;
    }

    private long unitsHeld(final long saleId, final long userId)
    {
        long held = 0;
        for (final Order order : orders)
        {
            if (order.saleId == saleId && order.userId == userId &&
                (order.state == OrderState.RESERVED || order.state == OrderState.PAID))
            {
                held += order.qty;
            }
        }
        return held;
    }

    private long units(final long saleId, final OrderState state)
    {
        long units = 0;
        for (final Order order : orders)
        {
            if (order.saleId == saleId && order.state == state)
            {
                units += order.qty;
            }
        }
        return units;
    }

    private long available(final Sale sale)
    {
        return sale.stock - units(sale.id, OrderState.RESERVED) - units(sale.id, OrderState.PAID);
    }

    private static long fnv1a(final byte[] bytes)
    {
        long hash = 0xcbf29ce484222325L;
        for (final byte b : bytes)
        {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    // ---- reads for tests and stream generators

    public long now()
    {
        return now;
    }

    public int saleCount()
    {
        return sales.size();
    }

    public int orderCount()
    {
        return orders.size();
    }

    /** The shopper who owns an order, or 0 when there is no such order. */
    public long ownerOf(final long orderId)
    {
        final Order order = order(orderId);
        return order == null ? 0 : order.userId;
    }

    /** The model's state in the same shape as {@link EngineFacts#of}, for comparison. */
    public EngineFacts facts()
    {
        final List<EngineFacts.SaleFacts> saleFacts = new ArrayList<>();
        for (final Sale s : sales)
        {
            final Set<Long> buyers = new HashSet<>();
            for (final Order order : orders)
            {
                if (order.saleId == s.id)
                {
                    buyers.add(order.userId);
                }
            }
            saleFacts.add(new EngineFacts.SaleFacts(
                s.id, s.name, s.stock, s.startsAt, s.endsAt, s.perUserLimit, s.paymentWindowMillis,
                available(s), units(s.id, OrderState.RESERVED), units(s.id, OrderState.PAID),
                units(s.id, OrderState.CANCELLED), units(s.id, OrderState.EXPIRED), buyers.size()));
        }
        final List<EngineFacts.OrderFacts> orderFacts = new ArrayList<>();
        for (final Order o : orders)
        {
            orderFacts.add(new EngineFacts.OrderFacts(
                o.id, o.saleId, o.userId, o.qty, o.state, o.deadline, o.idempotencyKey, o.paymentRefHash));
        }
        final List<EngineFacts.Named> named = new ArrayList<>();
        subjects.forEach((user, subject) -> named.add(new EngineFacts.Named(user, subject)));
        return new EngineFacts(now, appliedCount, List.copyOf(saleFacts), List.copyOf(orderFacts), List.copyOf(named));
    }
}
