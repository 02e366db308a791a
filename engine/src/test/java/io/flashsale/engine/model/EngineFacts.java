package io.flashsale.engine.model;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.order.OrderTable;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.Sale;
import io.flashsale.engine.shopper.ShopperSubjects;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything observable about an engine's state as plain values, so that the engine, the
 * {@link ReferenceEngine} and restored engines can be compared with {@code equals} and a failing
 * comparison prints a readable difference.
 */
public record EngineFacts(long now, long appliedCount, List<SaleFacts> sales, List<OrderFacts> orders, List<Named> subjects)
{
    /** A shopper named by a purchase, in the order shoppers were first named. */
    public record Named(long userId, String subject)
    {
    }

    public record SaleFacts(
        long id, String name, long stock, long startsAt, long endsAt, int perUserLimit, long paymentWindowMillis,
        long available, long reserved, long paid, long cancelled, long expired, long distinctBuyers)
    {
    }

    public record OrderFacts(
        long id, long saleId, long userId, int qty, OrderState state, long deadline, long idempotencyKey, long paymentRefHash)
    {
    }

    /** Reads the facts of an engine. Call on the thread that owns it. */
    public static EngineFacts of(final SaleEngine engine)
    {
        final List<SaleFacts> sales = new ArrayList<>();
        for (long id = 1; id <= engine.saleCount(); id++)
        {
            final Sale s = engine.sale(id);
            sales.add(new SaleFacts(
                s.id, s.name, s.stock, s.startsAt, s.endsAt, s.perUserLimit, s.paymentWindowMillis,
                s.available, s.reservedUnits, s.paidUnits, s.cancelledUnits, s.expiredUnits, s.distinctBuyers));
        }
        final OrderTable book = engine.orders();
        final List<OrderFacts> orders = new ArrayList<>();
        for (long id = 1; id <= book.count(); id++)
        {
            orders.add(new OrderFacts(
                id, book.saleId(id), book.userId(id), book.qty(id), book.state(id), book.deadline(id),
                book.idempotencyKey(id), book.paymentRefHash(id)));
        }
        final ShopperSubjects.Frozen named = engine.subjects().freeze();
        final List<Named> subjects = new ArrayList<>();
        for (int entry = 0; entry < named.count(); entry++)
        {
            subjects.add(new Named(named.userId(entry), named.subject(entry)));
        }
        return new EngineFacts(engine.now(), engine.appliedCount(), List.copyOf(sales), List.copyOf(orders), List.copyOf(subjects));
    }
}
