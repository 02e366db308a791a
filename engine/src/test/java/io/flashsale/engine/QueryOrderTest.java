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

class QueryOrderTest
{
    private final EngineDriver driver = new EngineDriver();
    private final long sale = driver.sale(10, 3);

    private CommandEvent query(final long ts, final long order, final long user)
    {
        return driver.apply(Commands.queryOrder(ts, order, user));
    }

    @Test
    void queryDescribesTheOrderToItsOwner()
    {
        final long order = driver.reserve(START, sale, ALICE, 2);

        final CommandEvent answer = query(START + 1, order, ALICE);

        assertThat(answer.outcome).isEqualTo(Outcome.OK);
        assertThat(answer.resultOrderId).isEqualTo(order);
        assertThat(answer.resultSaleId).isEqualTo(sale);
        assertThat(answer.resultUserId).isEqualTo(ALICE);
        assertThat(answer.resultQty).isEqualTo(2);
        assertThat(answer.resultDeadline).isEqualTo(START + WINDOW);
        assertThat(answer.resultOrderState).isEqualTo(OrderState.RESERVED);
    }

    @Test
    void queryShowsEachLaterState()
    {
        final long paid = driver.reserve(START, sale, ALICE, 1);
        final long cancelled = driver.reserve(START, sale, ALICE, 1);
        final long expired = driver.reserve(START, sale, BOB, 1);
        driver.pay(START + 1, paid, ALICE);
        driver.cancel(START + 1, cancelled, ALICE);
        driver.tick(START + WINDOW);

        assertThat(query(START + WINDOW, paid, ALICE).resultOrderState).isEqualTo(OrderState.PAID);
        assertThat(query(START + WINDOW, cancelled, ALICE).resultOrderState).isEqualTo(OrderState.CANCELLED);
        assertThat(query(START + WINDOW, expired, BOB).resultOrderState).isEqualTo(OrderState.EXPIRED);
    }

    @Test
    void queryOfSomeoneElsesOrderIsNotOwner()
    {
        final long order = driver.reserve(START, sale, ALICE, 1);

        final CommandEvent answer = query(START, order, BOB);

        assertThat(answer.outcome).isEqualTo(Outcome.NOT_OWNER);
        assertThat(answer.resultOrderId).isZero();
    }

    @Test
    void queryOfAnUnknownOrderIsUnknownOrder()
    {
        assertThat(query(START, 1, ALICE).outcome).isEqualTo(Outcome.UNKNOWN_ORDER);
    }

    @Test
    void queryChangesNoCounts()
    {
        final long order = driver.reserve(START, sale, ALICE, 1);
        final long applied = driver.engine.appliedCount();

        query(START, order, ALICE);

        assertThat(driver.engine.appliedCount()).isEqualTo(applied);
        assertThat(driver.engine.sale(sale).reservedUnits).isEqualTo(1);
    }
}
