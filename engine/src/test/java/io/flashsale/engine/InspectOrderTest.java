package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.order.OrderState;
import org.junit.jupiter.api.Test;

import static io.flashsale.engine.EngineDriver.ALICE;
import static io.flashsale.engine.EngineDriver.BOB;
import static io.flashsale.engine.EngineDriver.START;
import static io.flashsale.engine.EngineDriver.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

/** Who bought: a reserving purchase names its shopper once, and an admin's INSPECT_ORDER says who. */
class InspectOrderTest
{
    private final EngineDriver driver = new EngineDriver();
    private final long sale = driver.sale(10, 3);

    private CommandEvent purchase(final long ts, final long user, final String subject)
    {
        return driver.apply(Commands.purchase(ts, sale, user, subject, 1, 0));
    }

    private CommandEvent inspect(final long order)
    {
        return driver.apply(Commands.inspectOrder(START, order));
    }

    @Test
    void inspectDescribesAnyOrderWithItsShopperAndReservationTime()
    {
        final long order = purchase(START + 7, ALICE, "alice@example.com").resultOrderId;

        final CommandEvent answer = inspect(order);

        assertThat(answer.outcome).isEqualTo(Outcome.OK);
        assertThat(answer.resultOrderId).isEqualTo(order);
        assertThat(answer.resultSaleId).isEqualTo(sale);
        assertThat(answer.resultUserId).isEqualTo(ALICE);
        assertThat(answer.resultQty).isEqualTo(1);
        assertThat(answer.resultOrderState).isEqualTo(OrderState.RESERVED);
        assertThat(answer.resultDeadline).isEqualTo(START + 7 + WINDOW);
        assertThat(answer.resultReservedAt).isEqualTo(START + 7);
        assertThat(answer.resultSubject).isEqualTo("alice@example.com");
    }

    @Test
    void theFirstSubjectGivenForAShopperIsKept()
    {
        purchase(START, ALICE, "alice@example.com");
        final long second = purchase(START + 1, ALICE, "mallory").resultOrderId;

        assertThat(inspect(second).resultSubject).isEqualTo("alice@example.com");
        assertThat(driver.engine.subjects().count()).isEqualTo(1);
    }

    @Test
    void aShopperBoughtForWithoutASubjectIsNamedByALaterPurchaseThatGivesOne()
    {
        final long unnamed = purchase(START, ALICE, null).resultOrderId;
        assertThat(inspect(unnamed).resultSubject).isNull();

        purchase(START + 1, ALICE, "alice@example.com");

        assertThat(inspect(unnamed).resultSubject).isEqualTo("alice@example.com");
    }

    @Test
    void aRefusedPurchaseNamesNobody()
    {
        driver.apply(Commands.purchase(START, sale, BOB, "bob", 4, 0)); // above the per-user limit of 3

        assertThat(driver.engine.subjects().count()).isZero();
        assertThat(driver.engine.subjects().subjectOf(BOB)).isNull();
    }

    @Test
    void aShopperIsNamedAcrossSales()
    {
        final long other = driver.sale(5, 1);
        purchase(START, ALICE, "alice@example.com");
        final long inOther = driver.apply(Commands.purchase(START, other, ALICE, null, 1, 0)).resultOrderId;

        assertThat(inspect(inOther).resultSubject).isEqualTo("alice@example.com");
    }

    @Test
    void inspectOfAnUnknownOrderIsUnknownOrder()
    {
        assertThat(inspect(1).outcome).isEqualTo(Outcome.UNKNOWN_ORDER);
        assertThat(inspect(1).resultSubject).isNull();
    }

    @Test
    void inspectChangesNothingNotEvenTheClock()
    {
        final long order = purchase(START, ALICE, "alice@example.com").resultOrderId;
        final long applied = driver.engine.appliedCount();

        driver.apply(Commands.inspectOrder(START + WINDOW * 10, order));

        assertThat(driver.engine.appliedCount()).isEqualTo(applied);
        assertThat(driver.engine.now()).isEqualTo(START);
        assertThat(inspect(order).resultOrderState).isEqualTo(OrderState.RESERVED);
    }
}
