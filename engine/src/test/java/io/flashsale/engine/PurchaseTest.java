package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.flashsale.engine.EngineDriver.ALICE;
import static io.flashsale.engine.EngineDriver.BOB;
import static io.flashsale.engine.EngineDriver.END;
import static io.flashsale.engine.EngineDriver.START;
import static io.flashsale.engine.EngineDriver.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

class PurchaseTest
{
    private final EngineDriver driver = new EngineDriver();

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 2, 99})
    void purchaseOfUnknownSaleIsRefused(final long saleId)
    {
        driver.sale(10, 2);

        assertThat(driver.purchase(START, saleId, ALICE, 1).outcome).isEqualTo(Outcome.UNKNOWN_SALE);
        assertThat(driver.engine.orders().count()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void purchaseOfNonPositiveQuantityIsInvalid(final int qty)
    {
        final long sale = driver.sale(10, 2);

        assertThat(driver.purchase(START, sale, ALICE, qty).outcome).isEqualTo(Outcome.INVALID);
        assertThat(driver.available(sale)).isEqualTo(10);
    }

    @Test
    void purchaseOfMoreThanThePerUserLimitInOneGoIsInvalid()
    {
        final long sale = driver.sale(10, 2);

        assertThat(driver.purchase(START, sale, ALICE, 3).outcome).isEqualTo(Outcome.INVALID);
        assertThat(driver.purchase(START, sale, ALICE, Integer.MAX_VALUE).outcome).isEqualTo(Outcome.INVALID);
        assertThat(driver.available(sale)).isEqualTo(10);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void purchaseByNonPositiveUserIsInvalid(final long user)
    {
        final long sale = driver.sale(10, 2);

        assertThat(driver.purchase(START, sale, user, 1).outcome).isEqualTo(Outcome.INVALID);
    }

    @Test
    void purchaseBeforeTheStartIsNotStarted()
    {
        final long sale = driver.sale(10, 2);

        assertThat(driver.purchase(START - 1, sale, ALICE, 1).outcome).isEqualTo(Outcome.NOT_STARTED);
        assertThat(driver.available(sale)).isEqualTo(10);
    }

    @Test
    void purchaseAtTheStartIsReserved()
    {
        final long sale = driver.sale(10, 2);

        assertThat(driver.purchase(START, sale, ALICE, 1).outcome).isEqualTo(Outcome.RESERVED);
    }

    @Test
    void purchaseAtTheEndIsEnded()
    {
        final long sale = driver.sale(10, 2);

        assertThat(driver.purchase(END - 1, sale, ALICE, 1).outcome).isEqualTo(Outcome.RESERVED);
        assertThat(driver.purchase(END, sale, BOB, 1).outcome).isEqualTo(Outcome.ENDED);
        assertThat(driver.purchase(END + 1, sale, BOB, 1).outcome).isEqualTo(Outcome.ENDED);
    }

    @Test
    void reservationHoldsUnitsUntilNowPlusThePaymentWindow()
    {
        final long sale = driver.sale(10, 3);

        final CommandEvent reserved = driver.purchase(START + 123, sale, ALICE, 2);

        assertThat(reserved.outcome).isEqualTo(Outcome.RESERVED);
        assertThat(reserved.resultOrderId).isEqualTo(1);
        assertThat(reserved.resultSaleId).isEqualTo(sale);
        assertThat(reserved.resultUserId).isEqualTo(ALICE);
        assertThat(reserved.resultQty).isEqualTo(2);
        assertThat(reserved.resultDeadline).isEqualTo(START + 123 + WINDOW);
        assertThat(reserved.resultOrderState).isEqualTo(OrderState.RESERVED);
        assertThat(driver.available(sale)).isEqualTo(8);
        assertThat(driver.engine.sale(sale).reservedUnits).isEqualTo(2);
        assertThat(driver.engine.sale(sale).held(ALICE)).isEqualTo(2);
    }

    @Test
    void ordersGetDenseIdsFromOneAcrossSales()
    {
        final long first = driver.sale(10, 2);
        final long second = driver.sale(10, 2);

        assertThat(driver.reserve(START, first, ALICE, 1)).isEqualTo(1);
        assertThat(driver.reserve(START, second, ALICE, 1)).isEqualTo(2);
        assertThat(driver.reserve(START, first, BOB, 1)).isEqualTo(3);
    }

    @Test
    void purchaseBeyondPerUserLimitIsRefused()
    {
        final long sale = driver.sale(10, 3);
        driver.reserve(START, sale, ALICE, 2);

        assertThat(driver.purchase(START, sale, ALICE, 2).outcome).isEqualTo(Outcome.LIMIT_REACHED);
        assertThat(driver.purchase(START, sale, ALICE, 1).outcome).isEqualTo(Outcome.RESERVED);
        assertThat(driver.purchase(START, sale, ALICE, 1).outcome).isEqualTo(Outcome.LIMIT_REACHED);
        assertThat(driver.available(sale)).isEqualTo(7);
    }

    @Test
    void paidUnitsCountTowardsThePerUserLimit()
    {
        final long sale = driver.sale(10, 2);
        final long order = driver.reserve(START, sale, ALICE, 2);
        assertThat(driver.pay(START + 1, order, ALICE).outcome).isEqualTo(Outcome.PAID);

        assertThat(driver.purchase(START + 2, sale, ALICE, 1).outcome).isEqualTo(Outcome.LIMIT_REACHED);
    }

    @Test
    void cancelledUnitsFreeThePerUserLimitAgain()
    {
        final long sale = driver.sale(10, 2);
        final long order = driver.reserve(START, sale, ALICE, 2);
        assertThat(driver.cancel(START + 1, order, ALICE).outcome).isEqualTo(Outcome.CANCELLED);

        assertThat(driver.purchase(START + 2, sale, ALICE, 2).outcome).isEqualTo(Outcome.RESERVED);
    }

    @Test
    void expiredUnitsFreeThePerUserLimitAgain()
    {
        final long sale = driver.sale(10, 2);
        driver.reserve(START, sale, ALICE, 2);

        assertThat(driver.purchase(START + WINDOW, sale, ALICE, 2).outcome).isEqualTo(Outcome.RESERVED);
    }

    @Test
    void perUserLimitCountsOnlyThatUserInThatSale()
    {
        final long sale = driver.sale(10, 2);
        final long other = driver.sale(10, 2);
        driver.reserve(START, sale, ALICE, 2);

        assertThat(driver.purchase(START, sale, BOB, 2).outcome).isEqualTo(Outcome.RESERVED);
        assertThat(driver.purchase(START, other, ALICE, 2).outcome).isEqualTo(Outcome.RESERVED);
    }

    @Test
    void purchaseOfTheLastUnitsSellsOutTheSale()
    {
        final long sale = driver.sale(3, 3);
        driver.reserve(START, sale, ALICE, 3);

        assertThat(driver.available(sale)).isZero();
        assertThat(driver.purchase(START, sale, BOB, 1).outcome).isEqualTo(Outcome.SOLD_OUT);
    }

    @Test
    void purchaseOfMoreUnitsThanLeftIsSoldOutAndBuysNothing()
    {
        final long sale = driver.sale(3, 3);
        driver.reserve(START, sale, ALICE, 2);

        final CommandEvent refused = driver.purchase(START, sale, BOB, 2);

        assertThat(refused.outcome).isEqualTo(Outcome.SOLD_OUT);
        assertThat(refused.resultOrderId).isZero();
        assertThat(driver.available(sale)).isEqualTo(1);
        assertThat(driver.engine.sale(sale).held(BOB)).isZero();
        assertThat(driver.purchase(START, sale, BOB, 1).outcome).isEqualTo(Outcome.RESERVED);
    }

    @Test
    void perUserLimitIsCheckedBeforeStock()
    {
        final long sale = driver.sale(2, 2);
        driver.reserve(START, sale, ALICE, 2);

        assertThat(driver.purchase(START, sale, ALICE, 1).outcome).isEqualTo(Outcome.LIMIT_REACHED);
    }

    @Test
    void refusedPurchaseCarriesNoOrder()
    {
        final long sale = driver.sale(10, 2);

        final CommandEvent refused = driver.purchase(START - 1, sale, ALICE, 1);

        assertThat(refused.resultOrderId).isZero();
        assertThat(refused.resultQty).isZero();
        assertThat(refused.resultDeadline).isZero();
        assertThat(refused.resultOrderState).isNull();
    }

    @Test
    void firstPurchaseOfEachUserCountsAsADistinctBuyer()
    {
        final long sale = driver.sale(10, 3);
        final long order = driver.reserve(START, sale, ALICE, 1);
        driver.cancel(START, order, ALICE);
        driver.reserve(START, sale, ALICE, 1);
        driver.reserve(START, sale, BOB, 1);
        driver.purchase(START, sale, 33, 9);

        assertThat(driver.engine.sale(sale).distinctBuyers).isEqualTo(2);
    }
}
