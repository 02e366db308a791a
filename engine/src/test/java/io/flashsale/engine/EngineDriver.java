package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.model.Invariants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh engine plus shorthand for the unit tests: one sale open from {@link #START} to
 * {@link #END} with a {@link #WINDOW} payment window, and apply-and-return helpers. Every apply
 * also checks the invariants, so each unit test checks them on its way.
 */
final class EngineDriver
{
    static final long START = 1_000_000L;
    static final long END = START + 60_000;
    static final long WINDOW = 5_000;
    static final long ALICE = 11;
    static final long BOB = 22;

    final SaleEngine engine = new SaleEngine();

    CommandEvent apply(final CommandEvent command)
    {
        final long ordersBefore = engine.orders().count();
        engine.apply(command);
        assertThat(Invariants.checkResult(engine, command, ordersBefore)).isEmpty();
        assertThat(Invariants.check(engine)).isEmpty();
        return command;
    }

    /** Creates a sale open from START to END (created before it starts) and returns its id. */
    long sale(final long stock, final int perUserLimit)
    {
        final CommandEvent created = apply(Commands.createSale(START - 1_000, "sale", stock, START, END, perUserLimit, WINDOW));
        assertThat(created.outcome).isEqualTo(Outcome.SALE_CREATED);
        return created.resultSaleId;
    }

    CommandEvent purchase(final long ts, final long saleId, final long user, final int qty)
    {
        return apply(Commands.purchase(ts, saleId, user, qty, 0));
    }

    /** Purchases that must succeed; returns the new order id. */
    long reserve(final long ts, final long saleId, final long user, final int qty)
    {
        final CommandEvent reserved = purchase(ts, saleId, user, qty);
        assertThat(reserved.outcome).as("purchase %s", reserved).isEqualTo(Outcome.RESERVED);
        return reserved.resultOrderId;
    }

    CommandEvent pay(final long ts, final long orderId, final long user)
    {
        return apply(Commands.pay(ts, orderId, user, "ref-" + orderId));
    }

    CommandEvent cancel(final long ts, final long orderId, final long user)
    {
        return apply(Commands.cancel(ts, orderId, user));
    }

    CommandEvent tick(final long ts)
    {
        return apply(Commands.tick(ts));
    }

    long available(final long saleId)
    {
        return engine.sale(saleId).available;
    }
}
