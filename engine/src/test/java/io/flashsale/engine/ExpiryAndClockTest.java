package io.flashsale.engine;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.SaleState;
import org.junit.jupiter.api.Test;

import static io.flashsale.engine.EngineDriver.ALICE;
import static io.flashsale.engine.EngineDriver.BOB;
import static io.flashsale.engine.EngineDriver.END;
import static io.flashsale.engine.EngineDriver.START;
import static io.flashsale.engine.EngineDriver.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

class ExpiryAndClockTest
{
    private final EngineDriver driver = new EngineDriver();

    @Test
    void clockIsUnsetBeforeTheFirstCommand()
    {
        assertThat(driver.engine.now()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void tickAtTheDeadlineExpiresUnpaidOrders()
    {
        final long sale = driver.sale(10, 3);
        final long order = driver.reserve(START, sale, ALICE, 3);

        assertThat(driver.tick(START + WINDOW - 1).outcome).isEqualTo(Outcome.OK);
        assertThat(driver.engine.orders().state(order)).isEqualTo(OrderState.RESERVED);

        driver.tick(START + WINDOW);
        assertThat(driver.engine.orders().state(order)).isEqualTo(OrderState.EXPIRED);
        assertThat(driver.engine.sale(sale).expiredUnits).isEqualTo(3);
        assertThat(driver.engine.sale(sale).reservedUnits).isZero();
        assertThat(driver.available(sale)).isEqualTo(10);
        assertThat(driver.engine.sale(sale).held(ALICE)).isZero();
    }

    @Test
    void anyCommandsTimestampExpiresUnpaidOrders()
    {
        final long sale = driver.sale(10, 3);
        final long other = driver.sale(10, 3);
        final long order = driver.reserve(START, sale, ALICE, 1);

        // A purchase in another sale by another shopper moves the clock for everybody.
        driver.reserve(START + WINDOW, other, BOB, 1);

        assertThat(driver.engine.orders().state(order)).isEqualTo(OrderState.EXPIRED);
    }

    @Test
    void refusedCommandsMoveTheClockToo()
    {
        final long sale = driver.sale(10, 3);
        final long order = driver.reserve(START, sale, ALICE, 1);

        assertThat(driver.purchase(START + WINDOW, 99, BOB, 1).outcome).isEqualTo(Outcome.UNKNOWN_SALE);

        assertThat(driver.engine.now()).isEqualTo(START + WINDOW);
        assertThat(driver.engine.orders().state(order)).isEqualTo(OrderState.EXPIRED);
    }

    @Test
    void expiryHappensBeforeTheCommandIsApplied()
    {
        final long sale = driver.sale(2, 2);
        driver.reserve(START, sale, ALICE, 2);
        assertThat(driver.purchase(START + WINDOW - 1, sale, BOB, 1).outcome).isEqualTo(Outcome.SOLD_OUT);

        assertThat(driver.purchase(START + WINDOW, sale, BOB, 2).outcome).isEqualTo(Outcome.RESERVED);
    }

    @Test
    void ordersExpireEachAtTheirOwnDeadlineAcrossSales()
    {
        final long slow = driver.apply(Commands.createSale(START - 1, "slow", 10, START, END, 3, 3 * WINDOW)).resultSaleId;
        final long fast = driver.sale(10, 3);
        final long slowOrder = driver.reserve(START, slow, ALICE, 1);
        final long fastFirst = driver.reserve(START, fast, ALICE, 1);
        final long fastSecond = driver.reserve(START + 100, fast, BOB, 1);

        driver.tick(START + WINDOW);
        assertThat(driver.engine.orders().state(fastFirst)).isEqualTo(OrderState.EXPIRED);
        assertThat(driver.engine.orders().state(fastSecond)).isEqualTo(OrderState.RESERVED);
        assertThat(driver.engine.orders().state(slowOrder)).isEqualTo(OrderState.RESERVED);

        driver.tick(START + WINDOW + 100);
        assertThat(driver.engine.orders().state(fastSecond)).isEqualTo(OrderState.EXPIRED);
        assertThat(driver.engine.orders().state(slowOrder)).isEqualTo(OrderState.RESERVED);

        driver.tick(START + 3 * WINDOW);
        assertThat(driver.engine.orders().state(slowOrder)).isEqualTo(OrderState.EXPIRED);
    }

    @Test
    void orderPaidOrCancelledBeforeItsDeadlineDoesNotHoldUpLaterExpiries()
    {
        final long sale = driver.sale(10, 3);
        final long paid = driver.reserve(START, sale, ALICE, 1);
        final long cancelled = driver.reserve(START + 1, sale, BOB, 1);
        final long unpaid = driver.reserve(START + 2, sale, 33, 1);
        driver.pay(START + 3, paid, ALICE);
        driver.cancel(START + 3, cancelled, BOB);

        driver.tick(START + 2 + WINDOW);

        assertThat(driver.engine.orders().state(paid)).isEqualTo(OrderState.PAID);
        assertThat(driver.engine.orders().state(cancelled)).isEqualTo(OrderState.CANCELLED);
        assertThat(driver.engine.orders().state(unpaid)).isEqualTo(OrderState.EXPIRED);
    }

    @Test
    void soldOutSaleReopensWhenUnitsComeBackBeforeItEnds()
    {
        final long sale = driver.sale(2, 2);
        driver.reserve(START, sale, ALICE, 2);
        assertThat(driver.engine.sale(sale).stateAt(driver.engine.now())).isEqualTo(SaleState.SOLD_OUT);

        driver.tick(START + WINDOW);

        assertThat(driver.engine.sale(sale).stateAt(driver.engine.now())).isEqualTo(SaleState.OPEN);
        assertThat(driver.purchase(START + WINDOW, sale, BOB, 2).outcome).isEqualTo(Outcome.RESERVED);
    }

    @Test
    void unitsComingBackAfterTheEndDoNotReopenTheSale()
    {
        final long sale = driver.sale(2, 2);
        final long order = driver.reserve(END - 1, sale, ALICE, 2);

        driver.cancel(END, order, ALICE);

        assertThat(driver.available(sale)).isEqualTo(2);
        assertThat(driver.engine.sale(sale).stateAt(driver.engine.now())).isEqualTo(SaleState.ENDED);
        assertThat(driver.purchase(END, sale, BOB, 1).outcome).isEqualTo(Outcome.ENDED);
    }

    @Test
    void olderTimestampsNeverMoveTheClockBack()
    {
        final long sale = driver.sale(10, 3);
        driver.tick(START + 500);

        final long order = driver.reserve(START + 100, sale, ALICE, 1);

        assertThat(driver.engine.now()).isEqualTo(START + 500);
        assertThat(driver.engine.orders().deadline(order)).isEqualTo(START + 500 + WINDOW);
    }

    @Test
    void olderTimestampCannotBuyInAnEndedSale()
    {
        final long sale = driver.sale(10, 3);
        driver.tick(END);

        assertThat(driver.purchase(END - 10_000, sale, ALICE, 1).outcome).isEqualTo(Outcome.ENDED);
    }

    @Test
    void paymentWindowLongerThanTheClockCanCountMeansTheReservationNeverExpires()
    {
        final long sale = driver.apply(Commands.createSale(START, "no deadline", 10, START, END, 3, Long.MAX_VALUE)).resultSaleId;

        final long order = driver.reserve(START, sale, ALICE, 1);
        driver.tick(END);

        assertThat(driver.engine.orders().deadline(order)).isEqualTo(Long.MAX_VALUE);
        assertThat(driver.engine.orders().state(order)).isEqualTo(OrderState.RESERVED);
        assertThat(driver.pay(END + 1, order, ALICE).outcome).isEqualTo(Outcome.PAID);
    }

    @Test
    void appliedCountCountsJournaledCommandsOnly()
    {
        final long sale = driver.sale(10, 3);
        final long order = driver.reserve(START, sale, ALICE, 1);
        driver.apply(Commands.queryOrder(START, order, ALICE));
        driver.apply(Commands.snapshot(START));
        driver.purchase(START, 99, ALICE, 1);
        driver.tick(START);

        // create, purchase, refused purchase, tick: refused commands are journaled as well.
        assertThat(driver.engine.appliedCount()).isEqualTo(4);
    }
}
