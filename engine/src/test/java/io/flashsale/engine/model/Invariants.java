package io.flashsale.engine.model;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderTable;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.Sale;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The invariants of the design, checked against an engine's own data:
 * {@code available + reserved + paid == stock} for every sale, the counters agree with the orders,
 * no shopper holds more than the per-user limit, no reservation outlives its deadline, and (per
 * command) no order is paid at or after its deadline and every new order gets a new id.
 *
 * <p>Each method returns the violations found, empty when all hold, so a caller can assert
 * {@code isEmpty()} and see every broken rule at once. Call on the thread that owns the engine.
 */
public final class Invariants
{
    private Invariants()
    {
    }

    /** Violations in the engine's state as it stands. */
    public static List<String> check(final SaleEngine engine)
    {
        final List<String> violations = new ArrayList<>();
        final OrderTable book = engine.orders();
        final long[][] unitsByState = new long[engine.saleCount() + 1][OrderState.values().length];
        final Map<Long, Map<Long, Long>> heldBySaleAndUser = new HashMap<>();
        final Map<Long, java.util.Set<Long>> buyersBySale = new HashMap<>();
        for (long id = 1; id <= book.count(); id++)
        {
            final long saleId = book.saleId(id);
            final OrderState state = book.state(id);
            if (engine.sale(saleId) == null || state == null || book.qty(id) <= 0 || book.userId(id) <= 0)
            {
                violations.add("order " + id + " is malformed: sale " + saleId + " state " + state + " qty " + book.qty(id));
                continue;
            }
            unitsByState[(int)saleId][state.ordinal()] += book.qty(id);
            buyersBySale.computeIfAbsent(saleId, k -> new java.util.HashSet<>()).add(book.userId(id));
            if (state == OrderState.RESERVED || state == OrderState.PAID)
            {
                heldBySaleAndUser.computeIfAbsent(saleId, k -> new HashMap<>()).merge(book.userId(id), (long)book.qty(id), Long::sum);
            }
            if (state == OrderState.RESERVED && book.deadline(id) <= engine.now())
            {
                violations.add("order " + id + " is still reserved at " + engine.now() + ", past its deadline " + book.deadline(id));
            }
        }
        for (long saleId = 1; saleId <= engine.saleCount(); saleId++)
        {
            final Sale sale = engine.sale(saleId);
            final long[] units = unitsByState[(int)saleId];
            if (sale.available + sale.reservedUnits + sale.paidUnits != sale.stock)
            {
                violations.add("sale " + saleId + ": available " + sale.available + " + reserved " + sale.reservedUnits +
                    " + paid " + sale.paidUnits + " != stock " + sale.stock);
            }
            if (sale.available < 0)
            {
                violations.add("sale " + saleId + ": available " + sale.available + " is negative");
            }
            expectUnits(violations, sale, "reserved", sale.reservedUnits, units[OrderState.RESERVED.ordinal()]);
            expectUnits(violations, sale, "paid", sale.paidUnits, units[OrderState.PAID.ordinal()]);
            expectUnits(violations, sale, "cancelled", sale.cancelledUnits, units[OrderState.CANCELLED.ordinal()]);
            expectUnits(violations, sale, "expired", sale.expiredUnits, units[OrderState.EXPIRED.ordinal()]);
            for (final Map.Entry<Long, Long> entry : heldBySaleAndUser.getOrDefault(saleId, Map.of()).entrySet())
            {
                final long user = entry.getKey();
                final long held = entry.getValue();
                if (held > sale.perUserLimit)
                {
                    violations.add("sale " + saleId + ": user " + user + " holds " + held + " units, limit " + sale.perUserLimit);
                }
                if (sale.held(user) != held)
                {
                    violations.add("sale " + saleId + ": user " + user + " index says " + sale.held(user) + " held, orders say " + held);
                }
            }
            final java.util.Set<Long> buyers = buyersBySale.getOrDefault(saleId, java.util.Set.of());
            if (sale.distinctBuyers != buyers.size())
            {
                violations.add("sale " + saleId + ": " + sale.distinctBuyers + " distinct buyers counted, orders say " + buyers.size());
            }
            for (final long buyer : buyers)
            {
                if (sale.slotOf(buyer) == Sale.NO_SLOT)
                {
                    violations.add("sale " + saleId + ": buyer " + buyer + " has orders but no slot");
                }
            }
        }
        return violations;
    }

    /**
     * Violations shown by one command's result, right after the engine applied it:
     * a PAID answer at or after the deadline, or a new order whose id is not the next one.
     */
    public static List<String> checkResult(final SaleEngine engine, final CommandEvent applied, final long ordersBefore)
    {
        final List<String> violations = new ArrayList<>();
        if (applied.outcome == Outcome.PAID && engine.now() >= applied.resultDeadline)
        {
            violations.add("order " + applied.resultOrderId + " paid at " + engine.now() + ", deadline " + applied.resultDeadline);
        }
        final long ordersAfter = engine.orders().count();
        if (applied.outcome == Outcome.RESERVED)
        {
            if (applied.resultOrderId != ordersBefore + 1 || ordersAfter != ordersBefore + 1)
            {
                violations.add("new order got id " + applied.resultOrderId + " after " + ordersBefore + " orders");
            }
        }
        else if (ordersAfter != ordersBefore)
        {
            violations.add(applied.type + " answered " + applied.outcome + " but made " + (ordersAfter - ordersBefore) + " orders");
        }
        return violations;
    }

    private static void expectUnits(
        final List<String> violations, final Sale sale, final String what, final long counted, final long fromOrders)
    {
        if (counted != fromOrders)
        {
            violations.add("sale " + sale.id + ": " + what + " counter " + counted + " but orders hold " + fromOrders);
        }
    }
}
