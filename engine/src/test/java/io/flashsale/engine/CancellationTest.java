package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import org.junit.jupiter.api.Test;

import static io.flashsale.engine.EngineDriver.ALICE;
import static io.flashsale.engine.EngineDriver.BOB;
import static io.flashsale.engine.EngineDriver.START;
import static io.flashsale.engine.EngineDriver.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

class CancellationTest
{
    private final EngineDriver driver = new EngineDriver();
    private final long sale = driver.sale(5, 3);

    @Test
    void cancellingAReservedOrderGivesItsUnitsBack()
    {
        final long order = driver.reserve(START, sale, ALICE, 3);

        final CommandEvent cancelled = driver.cancel(START + 1, order, ALICE);

        assertThat(cancelled.outcome).isEqualTo(Outcome.CANCELLED);
        assertThat(cancelled.resultOrderId).isEqualTo(order);
        assertThat(cancelled.resultOrderState).isEqualTo(OrderState.CANCELLED);
        assertThat(driver.available(sale)).isEqualTo(5);
        assertThat(driver.engine.sale(sale).reservedUnits).isZero();
        assertThat(driver.engine.sale(sale).cancelledUnits).isEqualTo(3);
        assertThat(driver.engine.sale(sale).held(ALICE)).isZero();
    }

    @Test
    void cancelledUnitsCanBeBoughtByOthers()
    {
        final long order = driver.reserve(START, sale, ALICE, 3);
        driver.reserve(START, sale, BOB, 2);
        assertThat(driver.purchase(START, sale, 33, 1).outcome).isEqualTo(Outcome.SOLD_OUT);

        driver.cancel(START + 1, order, ALICE);

        assertThat(driver.purchase(START + 2, sale, 33, 3).outcome).isEqualTo(Outcome.RESERVED);
    }

    @Test
    void cancellingAPaidOrderIsAlreadyPaidAndKeepsItPaid()
    {
        final long order = driver.reserve(START, sale, ALICE, 1);
        driver.pay(START + 1, order, ALICE);

        final CommandEvent refused = driver.cancel(START + 2, order, ALICE);

        assertThat(refused.outcome).isEqualTo(Outcome.ALREADY_PAID);
        assertThat(refused.resultOrderState).isEqualTo(OrderState.PAID);
        assertThat(driver.engine.sale(sale).paidUnits).isEqualTo(1);
        assertThat(driver.available(sale)).isEqualTo(4);
    }

    @Test
    void cancellingTwiceIsAlreadyCancelled()
    {
        final long order = driver.reserve(START, sale, ALICE, 2);
        driver.cancel(START + 1, order, ALICE);

        assertThat(driver.cancel(START + 2, order, ALICE).outcome).isEqualTo(Outcome.ALREADY_CANCELLED);
        assertThat(driver.engine.sale(sale).cancelledUnits).isEqualTo(2);
        assertThat(driver.available(sale)).isEqualTo(5);
    }

    @Test
    void cancellingAnExpiredOrderIsExpired()
    {
        final long order = driver.reserve(START, sale, ALICE, 2);

        final CommandEvent refused = driver.cancel(START + WINDOW, order, ALICE);

        assertThat(refused.outcome).isEqualTo(Outcome.EXPIRED);
        assertThat(driver.engine.sale(sale).cancelledUnits).isZero();
        assertThat(driver.engine.sale(sale).expiredUnits).isEqualTo(2);
    }

    @Test
    void cancellingSomeoneElsesOrderIsNotOwnerAndChangesNothing()
    {
        final long order = driver.reserve(START, sale, ALICE, 2);

        assertThat(driver.cancel(START + 1, order, BOB).outcome).isEqualTo(Outcome.NOT_OWNER);
        assertThat(driver.engine.orders().state(order)).isEqualTo(OrderState.RESERVED);
        assertThat(driver.available(sale)).isEqualTo(3);
    }

    @Test
    void cancellingAnUnknownOrderIsUnknownOrder()
    {
        assertThat(driver.cancel(START, 1, ALICE).outcome).isEqualTo(Outcome.UNKNOWN_ORDER);
        assertThat(driver.cancel(START, 0, ALICE).outcome).isEqualTo(Outcome.UNKNOWN_ORDER);
    }
}
