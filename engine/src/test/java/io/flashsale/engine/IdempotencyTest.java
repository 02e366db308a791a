package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.order.OrderState;
import org.junit.jupiter.api.Test;

import static io.flashsale.engine.EngineDriver.ALICE;
import static io.flashsale.engine.EngineDriver.BOB;
import static io.flashsale.engine.EngineDriver.END;
import static io.flashsale.engine.EngineDriver.START;
import static io.flashsale.engine.EngineDriver.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyTest
{
    private static final long KEY = 0x5eed_cafeL;

    private final EngineDriver driver = new EngineDriver();

    private CommandEvent purchase(final long ts, final long sale, final long user, final int qty, final long key)
    {
        return driver.apply(Commands.purchase(ts, sale, user, qty, key));
    }

    @Test
    void repeatedKeyAnswersDuplicateWithTheFirstOrderAndBuysNothing()
    {
        final long sale = driver.sale(10, 3);
        final CommandEvent first = purchase(START, sale, ALICE, 2, KEY);

        final CommandEvent again = purchase(START + 10, sale, ALICE, 2, KEY);

        assertThat(again.outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.resultOrderId).isEqualTo(first.resultOrderId);
        assertThat(again.resultSaleId).isEqualTo(sale);
        assertThat(again.resultUserId).isEqualTo(ALICE);
        assertThat(again.resultQty).isEqualTo(2);
        assertThat(again.resultDeadline).isEqualTo(first.resultDeadline);
        assertThat(again.resultOrderState).isEqualTo(OrderState.RESERVED);
        assertThat(driver.available(sale)).isEqualTo(8);
        assertThat(driver.engine.orders().count()).isEqualTo(1);
    }

    @Test
    void repeatedKeyWithAnotherQuantityStillReturnsTheFirstOrder()
    {
        final long sale = driver.sale(10, 3);
        final CommandEvent first = purchase(START, sale, ALICE, 1, KEY);

        final CommandEvent again = purchase(START, sale, ALICE, 3, KEY);

        assertThat(again.outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.resultOrderId).isEqualTo(first.resultOrderId);
        assertThat(again.resultQty).isEqualTo(1);
    }

    @Test
    void duplicateReportsTheFirstOrdersCurrentState()
    {
        final long sale = driver.sale(10, 3);
        final long order = purchase(START, sale, ALICE, 1, KEY).resultOrderId;
        driver.pay(START + 1, order, ALICE);

        final CommandEvent again = purchase(START + 2, sale, ALICE, 1, KEY);

        assertThat(again.outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.resultOrderState).isEqualTo(OrderState.PAID);
    }

    @Test
    void repeatedKeyOfACancelledOrderIsStillADuplicate()
    {
        final long sale = driver.sale(10, 3);
        final long order = purchase(START, sale, ALICE, 1, KEY).resultOrderId;
        driver.cancel(START + 1, order, ALICE);

        final CommandEvent again = purchase(START + 2, sale, ALICE, 1, KEY);

        assertThat(again.outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.resultOrderState).isEqualTo(OrderState.CANCELLED);
        assertThat(driver.engine.sale(sale).held(ALICE)).isZero();
    }

    @Test
    void repeatedKeyIsAnsweredEvenAfterTheSaleEnded()
    {
        final long sale = driver.sale(10, 3);
        final CommandEvent first = purchase(START, sale, ALICE, 1, KEY);

        final CommandEvent again = purchase(END + 1, sale, ALICE, 1, KEY);

        assertThat(again.outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.resultOrderId).isEqualTo(first.resultOrderId);
        assertThat(again.resultOrderState).isEqualTo(OrderState.EXPIRED);
    }

    @Test
    void duplicateIsFoundAmongSeveralOrdersOfTheSameUser()
    {
        final long sale = driver.sale(10, 3);
        final CommandEvent first = purchase(START, sale, ALICE, 1, 1);
        purchase(START, sale, ALICE, 1, 2);
        purchase(START, sale, BOB, 1, 1);
        purchase(START, sale, ALICE, 1, 3);

        final CommandEvent again = purchase(START, sale, ALICE, 1, 1);

        assertThat(again.outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.resultOrderId).isEqualTo(first.resultOrderId);
    }

    @Test
    void failedAttemptIsNotRememberedByItsKey()
    {
        final long sale = driver.sale(1, 1);
        final long bobs = driver.reserve(START, sale, BOB, 1);
        assertThat(purchase(START, sale, ALICE, 1, KEY).outcome).isEqualTo(Outcome.SOLD_OUT);
        driver.cancel(START + 1, bobs, BOB);

        assertThat(purchase(START + 2, sale, ALICE, 1, KEY).outcome).isEqualTo(Outcome.RESERVED);
    }

    @Test
    void keyZeroMeansNoIdempotency()
    {
        final long sale = driver.sale(10, 3);

        assertThat(purchase(START, sale, ALICE, 1, 0).outcome).isEqualTo(Outcome.RESERVED);
        assertThat(purchase(START, sale, ALICE, 1, 0).outcome).isEqualTo(Outcome.RESERVED);
        assertThat(driver.engine.orders().count()).isEqualTo(2);
    }

    @Test
    void sameKeyOfAnotherUserOrInAnotherSaleIsNotADuplicate()
    {
        final long sale = driver.sale(10, 3);
        final long other = driver.sale(10, 3);
        purchase(START, sale, ALICE, 1, KEY);

        assertThat(purchase(START, sale, BOB, 1, KEY).outcome).isEqualTo(Outcome.RESERVED);
        assertThat(purchase(START, other, ALICE, 1, KEY).outcome).isEqualTo(Outcome.RESERVED);
    }

    @Test
    void invalidQuantityIsRefusedBeforeTheKeyIsLookedUp()
    {
        final long sale = driver.sale(10, 2);
        purchase(START, sale, ALICE, 1, KEY);

        assertThat(purchase(START, sale, ALICE, 3, KEY).outcome).isEqualTo(Outcome.INVALID);
    }

    @Test
    void duplicateKeepsTheFirstDeadline()
    {
        final long sale = driver.sale(10, 2);
        final CommandEvent first = purchase(START, sale, ALICE, 1, KEY);

        final CommandEvent again = purchase(START + WINDOW - 1, sale, ALICE, 1, KEY);

        assertThat(again.resultDeadline).isEqualTo(first.resultDeadline).isEqualTo(START + WINDOW);
    }
}
