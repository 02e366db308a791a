package io.flashsale.journal.audit;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The ops tools' replay meets a command the engine throws on: it shows it, then stops there. */
class PoisonReplayTest
{
    private static final long T0 = 1_750_000_000_000L;

    @TempDir
    Path dir;

    private record Seen(long sequence, long index, CommandType type, long userId, Outcome outcome)
    {
    }

    @Test
    void theReplayShowsThePoisonCommandWithEngineErrorAndStopsWithItsIndex() throws Exception
    {
        final JournalConfig config = new JournalConfig(dir).snapshotEveryCommands(0).snapshotEverySeconds(0);
        try (DurableEngine durable = DurableEngine.open(config);
             CommandPipeline pipeline = CommandPipeline.start(durable.engine(),
                 new PipelineConfig().journal(durable.journalPort()).tickIntervalMillis(0).clock(() -> T0)))
        {
            final CompletableFuture<Outcome> last = new CompletableFuture<>();
            pipeline.createSale("sale", 10, T0 - 1, T0 + 60_000, 2, 60_000, null, null);
            pipeline.purchase(1, 7, 1, 0, null, null);
            pipeline.purchase(1, 666, 1, 0, null, null);
            pipeline.purchase(1, 8, 1, 0, event -> last.complete(event.outcome), null);
            assertThat(last.get(20, TimeUnit.SECONDS)).isEqualTo(Outcome.RESERVED);
        }

        final List<Seen> seen = new ArrayList<>();
        final HistoryReplay.Result result;
        try (HistoryReplay history = HistoryReplay.open(JournalFolder.resolve(dir)))
        {
            result = history.replay((sequence, index, command, engine) ->
            {
                seen.add(new Seen(sequence, index, command.type, command.userId, command.outcome));
                return true;
            }, sequence -> { }, (engine, command) ->
            {
                if (command.type == CommandType.PURCHASE && command.userId == 666)
                {
                    throw new IllegalStateException("injected engine bug");
                }
                engine.apply(command);
            });
        }

        assertThat(seen).hasSize(3);
        final Seen poison = seen.get(2);
        assertThat(poison.sequence()).isEqualTo(3);
        assertThat(poison.userId()).isEqualTo(666);
        assertThat(poison.outcome()).isEqualTo(Outcome.ENGINE_ERROR);
        assertThat(result.poison()).isTrue();
        assertThat(result.damaged()).isTrue();
        assertThat(result.records()).isEqualTo(2);
        assertThat(result.lastSequence()).isEqualTo(2);
        assertThat(result.problemIndex()).isEqualTo(poison.index());
        assertThat(result.problemSummary()).contains("the engine threw on the command at sequence 3", "user=666", "injected engine bug");
    }
}
