package io.flashsale.bench.engine;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.engine.pipeline.StageLayout;
import io.flashsale.engine.pipeline.WaitStrategyKind;
import io.flashsale.engine.sale.SaleViews;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commands per second through the whole ring (journal port ‖ business logic → reply), with two
 * producer threads publishing PURCHASE commands, against the same ring with a business stage that
 * does nothing ({@code pipeline=NO_OP}). The ratio ENGINE / NO_OP is the figure: what the engine
 * costs on top of the ring itself.
 *
 * <p>A full ring makes producers spin, so in steady state the publish rate is the rate at which
 * the slowest stage drains the ring. The sale has a 10 000-unit stock and a 5 ms payment window,
 * so it keeps selling, refusing and expiring: the mix a rush produces.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Threads(2)
public class RingBenchmark
{
    @Param({"ENGINE", "NO_OP"})
    public String pipeline;

    @Param({"PARKING", "SLEEPING", "BLOCKING", "YIELDING"})
    public String waitStrategy;

    @Param({"PARALLEL", "SERIAL"})
    public String layout;

    private CommandPipeline ring;
    private final AtomicLong shoppers = new AtomicLong();

    @Setup(Level.Trial)
    public void start() throws InterruptedException
    {
        final PipelineConfig config = new PipelineConfig()
            .ringSize(1 << 14)
            .waitStrategy(WaitStrategyKind.valueOf(waitStrategy))
            .stageLayout(StageLayout.valueOf(layout))
            .tickIntervalMillis(0);
        if (pipeline.equals("ENGINE"))
        {
            ring = CommandPipeline.start(new SaleEngine(1 << 20, new SaleViews()), config);
            final CountDownLatch created = new CountDownLatch(1);
            final long now = System.currentTimeMillis();
            ring.createSale("bench", 10_000, now - 1, now + TimeUnit.HOURS.toMillis(1), 4, 5, event -> created.countDown(), null);
            created.await();
        }
        else
        {
            ring = CommandPipeline.startWithoutEngine(config);
        }
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        ring.close();
    }

    @State(Scope.Thread)
    public static class Producer
    {
        long nextShopper;
        long lastShopper;

        @Setup(Level.Trial)
        public void claimShoppers(final RingBenchmark bench)
        {
            nextShopper = bench.shoppers.addAndGet(1L << 32) - (1L << 32) + 1;
            lastShopper = nextShopper + (1 << 20);
        }
    }

    @Benchmark
    public Outcome publishPurchase(final Producer producer)
    {
        final long shopper = producer.nextShopper == producer.lastShopper
            ? producer.nextShopper = producer.lastShopper - (1 << 20)
            : producer.nextShopper++;
        Outcome outcome;
        while ((outcome = ring.purchase(1, shopper, 1, 0, null, null)) == Outcome.BUSY)
        {
            Thread.onSpinWait();
        }
        return outcome;
    }
}
