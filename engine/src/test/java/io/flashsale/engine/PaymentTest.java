package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.order.OrderState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.flashsale.engine.EngineDriver.ALICE;
import static io.flashsale.engine.EngineDriver.BOB;
import static io.flashsale.engine.EngineDriver.START;
import static io.flashsale.engine.EngineDriver.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

class PaymentTest
{
    private final EngineDriver driver = new EngineDriver();
    private final long sale = driver.sale(10, 3);

    @Test
    void payingAReservedOrderBeforeItsDeadlineMarksItPaid()
    {
        final long order = driver.reserve(START, sale, ALICE, 2);

        final CommandEvent paid = driver.pay(START + WINDOW - 1, order, ALICE);

        assertThat(paid.outcome).isEqualTo(Outcome.PAID);
        assertThat(paid.resultOrderId).isEqualTo(order);
        assertThat(paid.resultOrderState).isEqualTo(OrderState.PAID);
        assertThat(paid.resultQty).isEqualTo(2);
        assertThat(paid.resultDeadline).isEqualTo(START + WINDOW);
        assertThat(driver.engine.sale(sale).reservedUnits).isZero();
        assertThat(driver.engine.sale(sale).paidUnits).isEqualTo(2);
        assertThat(driver.available(sale)).isEqualTo(8);
    }

    @Test
    void paymentReferenceIsKeptAsItsHash()
    {
        final long order = driver.reserve(START, sale, ALICE, 1);
        final CommandEvent pay = Commands.pay(START + 1, order, ALICE, "psp-4711");

        driver.apply(pay);

        assertThat(driver.engine.orders().paymentRefHash(order)).isEqualTo(pay.textHash()).isNotZero();
    }

    @Test
    void payingSomeoneElsesOrderIsNotOwnerAndChangesNothing()
    {
        final long order = driver.reserve(START, sale, ALICE, 1);

        final CommandEvent refused = driver.pay(START + 1, order, BOB);

        assertThat(refused.outcome).isEqualTo(Outcome.NOT_OWNER);
        assertThat(refused.resultOrderId).isZero();
        assertThat(refused.resultOrderState).isNull();
        assertThat(driver.engine.orders().state(order)).isEqualTo(OrderState.RESERVED);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 2, Long.MAX_VALUE})
    void payingAnUnknownOrderIsUnknownOrder(final long orderId)
    {
        driver.reserve(START, sale, ALICE, 1);

        assertThat(driver.pay(START + 1, orderId, ALICE).outcome).isEqualTo(Outcome.UNKNOWN_ORDER);
    }

    @Test
    void payingTwiceIsAlreadyPaid()
    {
        final long order = driver.reserve(START, sale, ALICE, 1);
        driver.pay(START + 1, order, ALICE);

        final CommandEvent again = driver.pay(START + 2, order, ALICE);

        assertThat(again.outcome).isEqualTo(Outcome.ALREADY_PAID);
        assertThat(again.resultOrderState).isEqualTo(OrderState.PAID);
        assertThat(driver.engine.sale(sale).paidUnits).isEqualTo(1);
    }

    @Test
    void payingACancelledOrderIsAlreadyCancelled()
    {
        final long order = driver.reserve(START, sale, ALICE, 1);
        driver.cancel(START + 1, order, ALICE);

        final CommandEvent refused = driver.pay(START + 2, order, ALICE);

        assertThat(refused.outcome).isEqualTo(Outcome.ALREADY_CANCELLED);
        assertThat(driver.engine.sale(sale).paidUnits).isZero();
    }

    @Test
    void payingAtTheDeadlineIsExpired()
    {
        final long order = driver.reserve(START, sale, ALICE, 2);

        final CommandEvent late = driver.pay(START + WINDOW, order, ALICE);

        assertThat(late.outcome).isEqualTo(Outcome.EXPIRED);
        assertThat(late.resultOrderState).isEqualTo(OrderState.EXPIRED);
        assertThat(driver.engine.sale(sale).paidUnits).isZero();
        assertThat(driver.engine.sale(sale).expiredUnits).isEqualTo(2);
        assertThat(driver.available(sale)).isEqualTo(10);
    }

    @Test
    void payingAfterTheDeadlineIsExpired()
    {
        final long order = driver.reserve(START, sale, ALICE, 1);

        assertThat(driver.pay(START + WINDOW + 1_000, order, ALICE).outcome).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void paymentStampedBeforeTheDeadlineButAppliedAfterTheClockPassedItIsExpired()
    {
        final long order = driver.reserve(START, sale, ALICE, 1);
        driver.tick(START + WINDOW);

        // The engine's clock, not the command's own timestamp, decides.
        assertThat(driver.pay(START + 1, order, ALICE).outcome).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void paidOrdersNeverExpire()
    {
        final long order = driver.reserve(START, sale, ALICE, 1);
        driver.pay(START + 1, order, ALICE);

        driver.tick(START + 10 * WINDOW);

        assertThat(driver.engine.orders().state(order)).isEqualTo(OrderState.PAID);
        assertThat(driver.engine.sale(sale).paidUnits).isEqualTo(1);
    }
}
