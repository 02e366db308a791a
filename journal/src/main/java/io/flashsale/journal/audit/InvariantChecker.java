package io.flashsale.journal.audit;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderTable;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.Sale;
import org.agrona.collections.Long2LongHashMap;

/**
 * The engine's invariants, checked against its state after each command of a replay:
 * <ul>
 *   <li>{@code available + reserved + paid == stock} for every sale, no count negative;</li>
 *   <li>no shopper holds (reserved or paid) more than the sale's per-user limit, recounted from
 *       the shopper's own orders;</li>
 *   <li>no order becomes PAID at or after its payment deadline;</li>
 *   <li>order ids are unique and dense: a command creates at most one order, only a RESERVED
 *       answer creates one, and it gets the next id.</li>
 * </ul>
 * Gapless journal sequences are checked by the reader. {@link #fullRecount} recounts every sale
 * from every order, for the end of a replay.
 *
 * <p>Single-threaded: the replay thread.
 */
public final class InvariantChecker
{
    private int ordersBefore;

    /** @return null when every invariant holds after {@code command}, or what broke */
    public String afterCommand(final CommandEvent command, final SaleEngine engine)
    {
        for (long saleId = 1; saleId <= engine.saleCount(); saleId++)
        {
            final String broken = saleCounts(engine.sale(saleId));
            if (broken != null)
            {
                return broken;
            }
        }
        final OrderTable orders = engine.orders();
        final int count = orders.count();
        final int created = count - ordersBefore;
        ordersBefore = count;
        if (command.outcome == Outcome.RESERVED)
        {
            if (created != 1 || command.resultOrderId != count)
            {
                return "RESERVED order " + command.resultOrderId + " is not a new order with the next id (orders went from " +
                    (count - created) + " to " + count + ")";
            }
            if (orders.state(count) != OrderState.RESERVED)
            {
                return "order " + count + " was answered RESERVED but is " + orders.state(count);
            }
            return heldWithinLimit(engine, command.resultSaleId, command.resultUserId);
        }
        if (created != 0)
        {
            return created + " order(s) created by a command answered " + command.outcome;
        }
        if (command.outcome == Outcome.PAID)
        {
            final long orderId = command.resultOrderId;
            if (orders.state(orderId) != OrderState.PAID)
            {
                return "order " + orderId + " was answered PAID but is " + orders.state(orderId);
            }
            if (engine.now() >= orders.deadline(orderId))
            {
                return "order " + orderId + " became PAID at engine time " + engine.now() + ", at or after its deadline " + orders.deadline(orderId);
            }
        }
        return null;
    }

    private static String saleCounts(final Sale sale)
    {
        if (sale.available < 0 || sale.reservedUnits < 0 || sale.paidUnits < 0)
        {
            return "sale " + sale.id + " has a negative count: available " + sale.available + ", reserved " + sale.reservedUnits +
                ", paid " + sale.paidUnits;
        }
        if (sale.available + sale.reservedUnits + sale.paidUnits != sale.stock)
        {
            return "sale " + sale.id + ": available " + sale.available + " + reserved " + sale.reservedUnits + " + paid " + sale.paidUnits +
                " = " + (sale.available + sale.reservedUnits + sale.paidUnits) + ", but the stock is " + sale.stock;
        }
        return null;
    }

    /** Recounts what one shopper holds in one sale from the shopper's own chain of orders. */
    private static String heldWithinLimit(final SaleEngine engine, final long saleId, final long userId)
    {
        final Sale sale = engine.sale(saleId);
        final OrderTable orders = engine.orders();
        long held = 0;
        for (long orderId = sale.newestOrder(userId); orderId != 0; orderId = orders.previousOfUserInSale(orderId))
        {
            if (orders.userId(orderId) != userId || orders.saleId(orderId) != saleId)
            {
                return "order " + orderId + " is in the chain of user " + userId + " in sale " + saleId + " but belongs to user " +
                    orders.userId(orderId) + " in sale " + orders.saleId(orderId);
            }
            final OrderState state = orders.state(orderId);
            if (state == OrderState.RESERVED || state == OrderState.PAID)
            {
                held += orders.qty(orderId);
            }
        }
        if (held > sale.perUserLimit)
        {
            return "user " + userId + " holds " + held + " units of sale " + saleId + ", above the per-user limit " + sale.perUserLimit;
        }
        if (held != sale.held(userId))
        {
            return "the engine counts " + sale.held(userId) + " units held by user " + userId + " in sale " + saleId +
                " but the user's orders hold " + held;
        }
        return null;
    }

    /**
     * Recounts every sale from every order: units by state per sale, and units held per shopper
     * against the limit. O(orders).
     *
     * @return null when everything adds up, or the first difference
     */
    public static String fullRecount(final SaleEngine engine)
    {
        final int sales = engine.saleCount();
        final long[][] units = new long[sales + 1][OrderState.values().length + 1];
        final Long2LongHashMap[] heldByUser = new Long2LongHashMap[sales + 1];
        final OrderTable orders = engine.orders();
        for (long orderId = 1; orderId <= orders.count(); orderId++)
        {
            final int saleId = (int)orders.saleId(orderId);
            if (saleId < 1 || saleId > sales)
            {
                return "order " + orderId + " names sale " + saleId + " that does not exist";
            }
            final OrderState state = orders.state(orderId);
            units[saleId][state.code()] += orders.qty(orderId);
            if (state == OrderState.RESERVED || state == OrderState.PAID)
            {
                if (heldByUser[saleId] == null)
                {
                    heldByUser[saleId] = new Long2LongHashMap(0);
                }
                heldByUser[saleId].merge(orders.userId(orderId), orders.qty(orderId), Long::sum);
            }
        }
        for (int saleId = 1; saleId <= sales; saleId++)
        {
            final Sale sale = engine.sale(saleId);
            final long[] counted = units[saleId];
            if (counted[OrderState.RESERVED.code()] != sale.reservedUnits || counted[OrderState.PAID.code()] != sale.paidUnits ||
                counted[OrderState.CANCELLED.code()] != sale.cancelledUnits || counted[OrderState.EXPIRED.code()] != sale.expiredUnits)
            {
                return "sale " + saleId + " counts reserved/paid/cancelled/expired " + sale.reservedUnits + "/" + sale.paidUnits + "/" +
                    sale.cancelledUnits + "/" + sale.expiredUnits + " but its orders hold " + counted[OrderState.RESERVED.code()] + "/" +
                    counted[OrderState.PAID.code()] + "/" + counted[OrderState.CANCELLED.code()] + "/" + counted[OrderState.EXPIRED.code()];
            }
            final String broken = saleCounts(sale);
            if (broken != null)
            {
                return broken;
            }
            if (heldByUser[saleId] != null)
            {
                final Long2LongHashMap.EntryIterator users = heldByUser[saleId].entrySet().iterator();
                while (users.hasNext())
                {
                    users.next();
                    if (users.getLongValue() > sale.perUserLimit)
                    {
                        return "user " + users.getLongKey() + " holds " + users.getLongValue() + " units of sale " + saleId +
                            ", above the per-user limit " + sale.perUserLimit;
                    }
                }
            }
        }
        return null;
    }
}
