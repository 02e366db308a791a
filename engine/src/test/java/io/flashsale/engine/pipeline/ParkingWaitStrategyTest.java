package io.flashsale.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SequenceBarrier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wait strategy on a plain Disruptor ring with the pipeline's shape (two first stages, one
 * stage after both): stages that went to sleep on an empty ring wake for the next publish, the
 * last stage never runs ahead of the stages it follows, every event arrives once and in order, and
 * a halt wakes a blocked stage.
 */
class ParkingWaitStrategyTest
{
    private static final class Slot
    {
        long value;
        long firstA;
        long firstB;
    }

    @Test
    void stagesBlockedOnAnIdleRingWakeForEachPublishAndKeepTheirOrder() throws Exception
    {
        final ParkingWaitStrategy strategy = new ParkingWaitStrategy();
        final RingBuffer<Slot> ring = RingBuffer.createMultiProducer(Slot::new, 64, strategy);
        final SequenceBarrier firstBarrier = ring.newBarrier();
        final AtomicLong stampA = new AtomicLong();
        final AtomicLong stampB = new AtomicLong();
        final EventHandler<Slot> a = (slot, sequence, endOfBatch) -> slot.firstA = stampA.incrementAndGet();
        final EventHandler<Slot> b = (slot, sequence, endOfBatch) -> slot.firstB = stampB.incrementAndGet();
        final BatchEventProcessor<Slot> stageA = new BatchEventProcessorBuilder().build(ring, firstBarrier, a);
        final BatchEventProcessor<Slot> stageB = new BatchEventProcessorBuilder().build(ring, firstBarrier, b);
        final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        final EventHandler<Slot> last = (slot, sequence, endOfBatch) ->
            seen.add(slot.value + ":" + (slot.firstA > 0 && slot.firstB > 0));
        final BatchEventProcessor<Slot> stageC = new BatchEventProcessorBuilder().build(ring,
            ring.newBarrier(stageA.getSequence(), stageB.getSequence()), last);
        ring.addGatingSequences(stageC.getSequence());
        final List<Thread> threads = new ArrayList<>();
        for (final BatchEventProcessor<Slot> stage : List.of(stageA, stageB, stageC))
        {
            final Thread thread = new Thread(stage, "parking-test");
            thread.start();
            threads.add(thread);
        }

        final List<String> expected = new ArrayList<>();
        for (int round = 0; round < 5; round++)
        {
            // Long enough idle that every stage has stopped napping and blocks on the monitor.
            Thread.sleep(20);
            for (int i = 0; i < 3; i++)
            {
                final long value = round * 10L + i;
                final long sequence = ring.next();
                ring.get(sequence).value = value;
                ring.publish(sequence);
                expected.add(value + ":true");
            }
            final int want = expected.size();
            Poll.until(() -> seen.size() == want, Duration.ofSeconds(10), () -> "round's events at the last stage, saw " + seen);
        }
        assertThat(new ArrayList<>(seen)).containsExactlyElementsOf(expected);

        // Halt while all three are blocked: each must notice and end.
        Thread.sleep(20);
        stageA.halt();
        stageB.halt();
        stageC.halt();
        for (final Thread thread : threads)
        {
            thread.join(10_000);
            assertThat(thread.isAlive()).as("a halted stage ends").isFalse();
        }
    }
}
