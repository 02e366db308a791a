package io.flashsale.bench.engine;

import io.flashsale.engine.sale.Sale;
import org.agrona.collections.Long2LongHashMap;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One sale's crowd growing to two million distinct buyers, one first reservation at a time: the
 * worst single call is what a purchase waits while the buyers' state grows on the business thread.
 * {@code SALE} is the engine's {@link Sale} (sharded maps, paged slots); {@code ONE_MAP} is the
 * plain design it replaced, one Agrona map and one array grown by doubling, as the baseline of the
 * same run. The heap is sized so that no GC falls inside an invocation (a collection is forced
 * before each), so the figure is the data structure's own. Each invocation prints its worst call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn6g"})
public class BuyerGrowthBenchmark
{
    private static final int BUYERS = 2_000_000;
    /** Spreads the ids as hashed shopper subjects are spread. */
    private static final long MIX = 0x9E3779B97F4A7C15L;

    @Param({"SALE", "ONE_MAP"})
    public String layout;

    private long worstNanos;

    @Setup(Level.Invocation)
    public void emptyYoungGeneration()
    {
        System.gc();
    }

    /** JMH shows a forked run's output: one line per invocation, its worst single call. */
    @TearDown(Level.Invocation)
    public void reportWorstCall()
    {
        System.out.printf("%n%s: worst single first reservation %.2f ms%n", layout, worstNanos / 1e6);
    }

    @Benchmark
    public long growToTwoMillionBuyers()
    {
        final Sale sale = layout.equals("SALE") ? new Sale(1, "growth", Long.MAX_VALUE / 4, 0, Long.MAX_VALUE, 1, 60_000) : null;
        final OneMap oneMap = sale == null ? new OneMap() : null;
        long worstNanos = 0;
        long slots = 0;
        for (long i = 1; i <= BUYERS; i++)
        {
            final long user = i * MIX;
            final long start = System.nanoTime();
            slots += sale != null ? sale.slotFor(user) : oneMap.slotFor(user);
            worstNanos = Math.max(worstNanos, System.nanoTime() - start);
        }
        this.worstNanos = worstNanos;
        return slots;
    }

    /** The replaced design: one map from shopper to slot, two longs a slot in one doubling array. */
    private static final class OneMap
    {
        private final Long2LongHashMap slotByUser = new Long2LongHashMap(Sale.NO_SLOT);
        private long[] bySlot = new long[32];
        private int count;

        int slotFor(final long user)
        {
            final int slot = (int)slotByUser.get(user);
            if (slot != Sale.NO_SLOT)
            {
                return slot;
            }
            if (2 * count == bySlot.length)
            {
                bySlot = Arrays.copyOf(bySlot, bySlot.length * 2);
            }
            slotByUser.put(user, count);
            bySlot[2 * count] = 1;
            return count++;
        }
    }
}
