package io.flashsale.journal.audit;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.Sale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker against states the engine never produces on its own: each test breaks one
 * invariant by hand and expects the checker to name it.
 */
class InvariantCheckerTest
{
    private static final long T0 = 1_000_000;

    private final SaleEngine engine = new SaleEngine();
    private final InvariantChecker checker = new InvariantChecker();
    private Sale sale;

    @BeforeEach
    void aSaleWithTwoOrders()
    {
        final CommandEvent create = command(CommandType.CREATE_SALE, T0);
        create.stock = 10;
        create.startsAt = T0 - 1;
        create.endsAt = T0 + 1_000_000;
        create.perUserLimit = 2;
        create.paymentWindowMillis = 1_000;
        create.setText("test sale");
        assertThat(applyAndCheck(create)).isNull();
        sale = engine.sale(1);
        assertThat(applyAndCheck(purchase(7, 1))).isNull();
        assertThat(applyAndCheck(purchase(8, 2))).isNull();
        assertThat(InvariantChecker.fullRecount(engine)).isNull();
    }

    @Test
    void unitsThatDoNotAddUpToTheStockAreReported()
    {
        sale.available++;
        assertThat(applyAndCheck(command(CommandType.TICK, T0 + 1))).contains("sale 1: available 8 + reserved 3 + paid 0 = 11, but the stock is 10");
    }

    @Test
    void aShopperAboveTheLimitIsReported()
    {
        // An order the engine would have refused: 5 units for a shopper with a limit of 2.
        final long orderId = engine.orders().count() + 1;
        engine.orders().restore(orderId, 1, 7, 5, OrderState.RESERVED, T0 + 1_000, 0, 0, sale.newestOrder(7));
        sale.newestOrderInSlot(sale.slotOf(7), orderId);
        sale.available -= 5;
        sale.reservedUnits += 5;
        final CommandEvent answered = purchase(7, 5);
        answered.outcome = Outcome.RESERVED;
        answered.resultOrderId = orderId;
        answered.resultSaleId = 1;
        answered.resultUserId = 7;
        assertThat(checker.afterCommand(answered, engine)).contains("user 7 holds 6 units of sale 1, above the per-user limit 2");
    }

    @Test
    void anEngineWhoseLimitCountForgotUnitsLetsAShopperOverTheLimit()
    {
        sale.addHeldInSlot(sale.slotOf(8), -1); // the engine now believes user 8 holds 1 unit, the orders say 2
        final CommandEvent again = purchase(8, 1);
        engine.apply(again);
        assertThat(again.outcome).isEqualTo(Outcome.RESERVED);
        assertThat(checker.afterCommand(again, engine)).contains("user 8 holds 3 units of sale 1, above the per-user limit 2");
    }

    @Test
    void anEngineCountThatDisagreesWithTheOrdersIsReported()
    {
        sale.addHeldInSlot(sale.slotOf(7), -1); // believes 0, the orders say 1
        final CommandEvent again = purchase(7, 1);
        engine.apply(again);
        assertThat(again.outcome).isEqualTo(Outcome.RESERVED);
        assertThat(checker.afterCommand(again, engine)).contains("the engine counts 1 units held by user 7 in sale 1 but the user's orders hold 2");
    }

    @Test
    void aPaymentAtOrAfterTheDeadlineIsReported()
    {
        final CommandEvent pay = command(CommandType.PAY, T0 + 10);
        pay.orderId = 1;
        pay.userId = 7;
        assertThat(applyAndCheck(pay)).isNull();
        assertThat(pay.outcome).isEqualTo(Outcome.PAID);
        assertThat(applyAndCheck(command(CommandType.TICK, T0 + 5_000))).isNull();
        // The same answer seen at a time past the deadline: the checker must object.
        assertThat(checker.afterCommand(pay, engine)).contains("order 1 became PAID at engine time " + (T0 + 5_000)).contains("deadline");
    }

    @Test
    void anOrderMadeByACommandThatWasNotAnsweredReservedIsReported()
    {
        engine.orders().add(1, 9, 1, T0 + 1_000, 0, 0);
        assertThat(checker.afterCommand(command(CommandType.TICK, T0), engine)).contains("1 order(s) created by a command answered");
    }

    @Test
    void theFullRecountFindsCountsThatDoNotMatchTheOrders()
    {
        sale.paidUnits++;
        sale.reservedUnits--;
        assertThat(InvariantChecker.fullRecount(engine)).contains("sale 1 counts reserved/paid/cancelled/expired 2/1/0/0 but its orders hold 3/0/0/0");
    }

    private String applyAndCheck(final CommandEvent command)
    {
        engine.apply(command);
        return checker.afterCommand(command, engine);
    }

    private static CommandEvent purchase(final long user, final int qty)
    {
        final CommandEvent purchase = command(CommandType.PURCHASE, T0);
        purchase.saleId = 1;
        purchase.userId = user;
        purchase.qty = qty;
        return purchase;
    }

    private static CommandEvent command(final CommandType type, final long timestamp)
    {
        final CommandEvent command = new CommandEvent();
        command.type = type;
        command.timestamp = timestamp;
        return command;
    }
}
