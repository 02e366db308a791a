package io.flashsale.http.admission;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The capacity read from a real ring. */
class RingCapacityTest
{
    @Test
    void beforeTheRingExistsTheCapacityIsUnknownAndNothingWaits()
    {
        final RingCapacity capacity = new RingCapacity(() -> null);
        assertThat(capacity.commandsPerSecond()).isInfinite();
        assertThat(capacity.backlog()).isZero();
    }

    @Test
    void theServiceRateIsMeasuredFromTheCommandsTheRingApplied() throws Exception
    {
        final AtomicReference<CommandPipeline> ring = new AtomicReference<>();
        final RingCapacity capacity = new RingCapacity(ring::get);
        final PipelineConfig config = new PipelineConfig().clock(() -> 1_000_000L).tickIntervalMillis(0);
        config.threadNamePrefix = "ring-capacity-test";
        try (CommandPipeline pipeline = CommandPipeline.start(new SaleEngine(), config))
        {
            ring.set(pipeline);
            assertThat(capacity.commandsPerSecond()).as("nothing applied yet").isInfinite();
            final AtomicInteger answered = new AtomicInteger();
            assertThat(pipeline.createSale("s", 100_000, 0, 2_000_000L, 1, 60_000, event -> answered.incrementAndGet(), null))
                .isEqualTo(Outcome.PENDING);
            final int purchases = 2 * (int)RingCapacity.MIN_SAMPLE_COMMANDS;
            for (int user = 1; user <= purchases; user++)
            {
                while (pipeline.purchase(1, user, 1, 0, event -> answered.incrementAndGet(), null) == Outcome.BUSY)
                {
                    Thread.onSpinWait();
                }
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((answered.get() < purchases + 1 || pipeline.serviceMeter().commands() < purchases + 1) && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            final double perSecond = capacity.commandsPerSecond();
            assertThat(perSecond).isFinite().isPositive();
            assertThat(capacity.backlog()).isZero();
        }
    }
}
