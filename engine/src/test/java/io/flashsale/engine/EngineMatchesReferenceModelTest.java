package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.model.CommandStreams;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.model.EngineFacts;
import io.flashsale.engine.model.Invariants;
import io.flashsale.engine.model.ReferenceEngine;
import io.flashsale.engine.model.SeededStreams;
import io.flashsale.engine.sale.Sale;
import io.flashsale.engine.sale.SaleCounts;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine against its oracle: random command streams go through both, and every answer, every
 * result field and the whole state must agree after every command, with the invariants holding.
 */
class EngineMatchesReferenceModelTest
{
    @Test
    void engineAnswersEveryCommandLikeTheReferenceModel()
    {
        SeededStreams.forEach(1, 5000, 150, (stream, random) -> checkAgainstModel(stream));
    }

    private static void checkAgainstModel(final List<CommandEvent> stream)
    {
        final SaleEngine engine = new SaleEngine();
        final ReferenceEngine model = new ReferenceEngine();
        final Set<Long> orderIds = new HashSet<>();
        for (int i = 0; i < stream.size(); i++)
        {
            final CommandEvent command = Commands.copyOf(stream.get(i));
            final ReferenceEngine.Result expected = model.apply(command);
            final long ordersBefore = engine.orders().count();

            engine.apply(command);

            assertThat(ReferenceEngine.Result.of(command)).as("answer to command %d: %s", i, command).isEqualTo(expected);
            assertThat(EngineFacts.of(engine)).as("state after command %d: %s", i, command).isEqualTo(model.facts());
            assertThat(Invariants.checkResult(engine, command, ordersBefore)).as("after command %d", i).isEmpty();
            assertThat(Invariants.check(engine)).as("after command %d", i).isEmpty();
            if (command.outcome == Outcome.RESERVED)
            {
                assertThat(orderIds.add(command.resultOrderId)).as("order id %d is new", command.resultOrderId).isTrue();
            }
            if (i % 5 == 4)
            {
                engine.publishViews();
                assertViewsMatch(engine);
            }
        }
    }

    private static void assertViewsMatch(final SaleEngine engine)
    {
        final SaleCounts counts = new SaleCounts();
        for (long id = 1; id <= engine.saleCount(); id++)
        {
            final Sale sale = engine.sale(id);
            engine.views().get(id).readCounts(counts);
            assertThat(new long[] {counts.available, counts.reserved, counts.paid, counts.cancelled, counts.expired, counts.distinctBuyers})
                .as("published view of sale %d", id)
                .containsExactly(sale.available, sale.reservedUnits, sale.paidUnits, sale.cancelledUnits, sale.expiredUnits, sale.distinctBuyers);
            assertThat(counts.available + counts.reserved + counts.paid).isEqualTo(sale.stock);
        }
    }
}
