package io.flashsale.engine.model;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator is only as good as what it reaches: every outcome, clocks that go back, repeated keys. */
class CommandStreamsTest
{
    @Test
    void sampledStreamsReachEveryBusinessOutcome()
    {
        final Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
        for (long seed = 0; seed < 300; seed++)
        {
            final SaleEngine engine = new SaleEngine();
            for (final CommandEvent input : CommandStreams.sample(seed, 150))
            {
                final CommandEvent command = Commands.copyOf(input);
                engine.apply(command);
                seen.merge(command.outcome, 1, Integer::sum);
            }
        }

        // Every outcome the engine itself can give, each often enough to matter.
        for (final Outcome outcome : List.of(
            Outcome.RESERVED, Outcome.PAID, Outcome.CANCELLED, Outcome.EXPIRED, Outcome.SOLD_OUT, Outcome.NOT_STARTED,
            Outcome.ENDED, Outcome.LIMIT_REACHED, Outcome.DUPLICATE, Outcome.UNKNOWN_SALE, Outcome.UNKNOWN_ORDER,
            Outcome.NOT_OWNER, Outcome.INVALID, Outcome.ALREADY_PAID, Outcome.ALREADY_CANCELLED, Outcome.SALE_CREATED, Outcome.OK))
        {
            assertThat(seen.getOrDefault(outcome, 0)).as("%s in %s", outcome, seen).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void sampledStreamsHaveTimestampsThatGoBackAndAllCommandTypes()
    {
        int backwards = 0;
        final Map<CommandType, Integer> types = new EnumMap<>(CommandType.class);
        for (long seed = 0; seed < 100; seed++)
        {
            final List<CommandEvent> stream = CommandStreams.sample(seed, 150);
            for (int i = 1; i < stream.size(); i++)
            {
                backwards += stream.get(i).timestamp < stream.get(i - 1).timestamp ? 1 : 0;
                types.merge(stream.get(i).type, 1, Integer::sum);
            }
        }

        assertThat(backwards).isGreaterThan(100);
        assertThat(types.keySet()).containsExactlyInAnyOrder(CommandType.values());
    }

    @Test
    void sameSeedGivesTheSameStream()
    {
        final List<CommandEvent> first = CommandStreams.sample(42, 100);
        final List<CommandEvent> second = CommandStreams.sample(42, 100);

        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++)
        {
            assertThat(second.get(i).toString() + second.get(i).textAsString())
                .isEqualTo(first.get(i).toString() + first.get(i).textAsString());
        }
        assertThat(CommandStreams.sample(43, 100).toString()).isNotEqualTo(first.toString());
    }

    @Test
    void everyStreamOpensWithAValidSale()
    {
        for (long seed = 0; seed < 50; seed++)
        {
            final CommandEvent opening = Commands.copyOf(CommandStreams.sample(seed, 10).get(0));
            new SaleEngine().apply(opening);
            assertThat(opening.outcome).isEqualTo(Outcome.SALE_CREATED);
        }
    }

    @Test
    void journaledOnlyKeepsTheJournaledCommandsInOrder()
    {
        final List<CommandEvent> stream = CommandStreams.sample(7, 150);

        final List<CommandEvent> journaled = CommandStreams.journaledOnly(stream);

        assertThat(journaled).allMatch(c -> c.type.isJournaled());
        assertThat(journaled).containsExactlyElementsOf(stream.stream().filter(c -> c.type.isJournaled()).toList());
    }
}
