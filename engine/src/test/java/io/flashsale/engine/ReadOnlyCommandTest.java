package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.order.OrderState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flashsale.engine.EngineDriver.ALICE;
import static io.flashsale.engine.EngineDriver.END;
import static io.flashsale.engine.EngineDriver.START;
import static io.flashsale.engine.EngineDriver.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * QUERY_ORDER and SNAPSHOT are not journaled, so they must not change state: a replay of the
 * journal never sees them and must still arrive at the same state as the live engine.
 */
class ReadOnlyCommandTest
{
    private final EngineDriver driver = new EngineDriver();

    @Test
    void queryOrderNeitherMovesTheClockNorExpiresOrders()
    {
        final long sale = driver.sale(10, 3);
        final long order = driver.reserve(START, sale, ALICE, 1);

        final CommandEvent answer = driver.apply(Commands.queryOrder(START + WINDOW, order, ALICE));

        assertThat(answer.outcome).isEqualTo(Outcome.OK);
        assertThat(driver.engine.now()).isEqualTo(START);
        assertThat(driver.engine.orders().state(order)).isEqualTo(OrderState.RESERVED);
    }

    @Test
    void snapshotNeitherMovesTheClockNorExpiresOrders()
    {
        final long sale = driver.sale(10, 3);
        final long order = driver.reserve(START, sale, ALICE, 1);

        driver.apply(Commands.snapshot(END));

        assertThat(driver.engine.now()).isEqualTo(START);
        assertThat(driver.engine.orders().state(order)).isEqualTo(OrderState.RESERVED);
    }

    @Test
    void paymentAfterALateQueryIsAnsweredAsAJournalReplayWouldAnswerIt()
    {
        // Live: the query carries a later timestamp than the payment (producers race), then the
        // payment arrives. A replay sees only create, purchase and pay.
        final List<CommandEvent> live = List.of(
            Commands.createSale(START - 1_000, "sale", 10, START, END, 3, WINDOW),
            Commands.purchase(START, 1, ALICE, 1, 0),
            Commands.queryOrder(START + WINDOW, 1, ALICE),
            Commands.pay(START + WINDOW - 1, 1, ALICE, "ref"));
        final SaleEngine liveEngine = new SaleEngine();
        final SaleEngine replayEngine = new SaleEngine();
        CommandEvent livePay = null;
        CommandEvent replayPay = null;
        for (final CommandEvent input : live)
        {
            livePay = Commands.copyOf(input);
            liveEngine.apply(livePay);
            if (input.type.isJournaled())
            {
                replayPay = Commands.copyOf(input);
                replayEngine.apply(replayPay);
            }
        }

        assertThat(livePay.outcome).isEqualTo(replayPay.outcome).isEqualTo(Outcome.PAID);
        assertThat(EngineSnapshot.stateHash(liveEngine)).isEqualTo(EngineSnapshot.stateHash(replayEngine));
    }
}
