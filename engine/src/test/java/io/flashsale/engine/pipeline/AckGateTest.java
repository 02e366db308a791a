package io.flashsale.engine.pipeline;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A primary's replies wait for the standby's acknowledgement, and only the replies: the stages
 * before the ack gate go on journaling and sending while an acknowledgement is pending. The
 * standby here is a port whose acknowledgements the test hands out; every reply checks, as it
 * leaves, that its command was acknowledged.
 */
class AckGateTest
{
    private static final long START = 1_000_000L;
    private static final long END = START + 60_000;
    private static final AtomicInteger PIPELINES = new AtomicInteger();

    private final HeldAcks standby = new HeldAcks();
    private final Replies replies = new Replies(standby);
    private CommandPipeline pipeline;

    @AfterEach
    void close()
    {
        standby.ackAll();
        if (pipeline != null)
        {
            pipeline.close();
        }
    }

    private void start(final StageLayout layout)
    {
        final PipelineConfig config = new PipelineConfig().clock(() -> START).tickIntervalMillis(0).stageLayout(layout).replication(standby);
        config.threadNamePrefix = "ack-gate-test-" + PIPELINES.incrementAndGet();
        pipeline = CommandPipeline.start(new SaleEngine(), config);
    }

    private long createSale()
    {
        assertThat(pipeline.createSale("sale", 1_000_000, START, END, 1_000_000, 5_000, replies, "create")).isEqualTo(Outcome.PENDING);
        standby.awaitFlushed(1);
        standby.ack(1);
        replies.awaitCount(1);
        return replies.saleId;
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void aReplyWaitsForItsAcknowledgementWhileLaterCommandsAreJournaledAndSent(final StageLayout layout) throws Exception
    {
        start(layout);
        assertThat(pipeline.createSale("sale", 10, START, END, 5, 5_000, replies, "create")).isEqualTo(Outcome.PENDING);
        standby.awaitFlushed(1);
        Thread.sleep(50);
        assertThat(replies.count()).as("the sale's reply before the standby acknowledged it").isZero();

        standby.ack(1);
        replies.awaitCount(1);
        final long sale = replies.saleId;
        assertThat(pipeline.purchase(sale, 7, 1, 1, replies, "first")).isEqualTo(Outcome.PENDING);
        standby.awaitFlushed(2);
        // The first purchase is not acknowledged yet: the second is journaled and sent all the same.
        assertThat(pipeline.purchase(sale, 8, 1, 2, replies, "second")).isEqualTo(Outcome.PENDING);
        standby.awaitFlushed(3);
        Thread.sleep(50);
        assertThat(replies.count()).isEqualTo(1);

        standby.ack(2);
        replies.awaitCount(2);
        Thread.sleep(50);
        assertThat(replies.attachments()).containsExactly("create", "first");

        standby.ack(3);
        replies.awaitCount(3);
        assertThat(replies.attachments()).containsExactly("create", "first", "second");
        assertThat(replies.outcomes()).containsExactly(Outcome.SALE_CREATED, Outcome.RESERVED, Outcome.RESERVED);
        assertThat(replies.overtaken).as("replies that left before their acknowledgement").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void noReplyOvertakesItsAcknowledgementUnderLoad(final StageLayout layout) throws Exception
    {
        start(layout);
        final long sale = createSale();
        final int purchases = 5_000;
        final Thread acker = new Thread(() ->
        {
            final SplittableRandom random = new SplittableRandom(14);
            while (standby.acked.get() < purchases + 1 && !Thread.currentThread().isInterrupted())
            {
                // Acknowledge part of what was sent, a little late, as a standby over a link would.
                final long flushed = standby.flushed;
                final long acked = standby.acked.get();
                if (flushed > acked)
                {
                    standby.ack(acked + 1 + random.nextLong(flushed - acked));
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(200)));
            }
        }, "ack-gate-test-acker");
        acker.start();
        for (int i = 0; i < purchases; i++)
        {
            while (pipeline.purchase(sale, 100 + i, 1, i + 1, replies, i) == Outcome.BUSY)
            {
                Thread.onSpinWait();
            }
        }
        replies.awaitCount(purchases + 1);
        acker.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(replies.overtaken).as("replies that left before their acknowledgement").isEmpty();
        assertThat(replies.outcomes()).filteredOn(o -> o == Outcome.RESERVED).hasSize(purchases);
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void aCommandTheStandbyWasLostBeforeAcknowledgingIsAnsweredNotReplicated(final StageLayout layout)
    {
        start(layout);
        final long sale = createSale();
        assertThat(pipeline.purchase(sale, 7, 1, 1, replies, "lost")).isEqualTo(Outcome.PENDING);
        standby.awaitFlushed(2);
        standby.lost = true;
        replies.awaitCount(2);
        assertThat(replies.outcomes()).containsExactly(Outcome.SALE_CREATED, Outcome.NOT_REPLICATED);
    }

    /**
     * A standby whose acknowledgements the test hands out. Sequences count journaled commands from
     * 1; it remembers which sequence each ring event was sent as, for the replies' check.
     */
    static final class HeldAcks implements ReplicationPort
    {
        final AtomicLong acked = new AtomicLong();
        final ConcurrentHashMap<Long, Long> sequenceOfRingEvent = new ConcurrentHashMap<>();
        volatile long flushed;
        volatile boolean lost;
        private long sent;

        @Override
        public void send(final CommandEvent command)
        {
            sequenceOfRingEvent.put(command.ringSequence, ++sent);
        }

        @Override
        public void endOfBatch()
        {
            flushed = sent;
        }

        @Override
        public long sent()
        {
            return sent;
        }

        @Override
        public boolean awaitAcknowledged(final long upTo)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acked.get() < upTo)
            {
                if (lost || System.nanoTime() > deadline)
                {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
            }
            return true;
        }

        void ack(final long upTo)
        {
            acked.accumulateAndGet(upTo, Math::max);
        }

        void ackAll()
        {
            acked.set(Long.MAX_VALUE);
        }

        void awaitFlushed(final long sequence)
        {
            Poll.until(() -> flushed >= sequence, Duration.ofSeconds(20), () -> "the port to have sent " + sequence + ", sent " + flushed);
        }
    }

    /** Records each reply and checks, as it leaves, that the standby acknowledged its command. Reply thread. */
    static final class Replies implements ReplyListener
    {
        final List<String> overtaken = new CopyOnWriteArrayList<>();
        private final List<Object> attachments = new CopyOnWriteArrayList<>();
        private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        private final HeldAcks standby;
        private final AtomicInteger count = new AtomicInteger();
        volatile long saleId;

        Replies(final HeldAcks standby)
        {
            this.standby = standby;
        }

        @Override
        public void onReply(final CommandEvent event)
        {
            final Long sequence = standby.sequenceOfRingEvent.get(event.ringSequence);
            final long acked = standby.acked.get();
            if (sequence != null && acked < sequence && event.outcome != Outcome.NOT_REPLICATED)
            {
                overtaken.add(event.attachment + ": sequence " + sequence + " left with " + acked + " acknowledged");
            }
            if (event.outcome == Outcome.SALE_CREATED)
            {
                saleId = event.resultSaleId;
            }
            attachments.add(event.attachment);
            outcomes.add(event.outcome);
            count.incrementAndGet();
        }

        int count()
        {
            return count.get();
        }

        List<Object> attachments()
        {
            return List.copyOf(attachments);
        }

        List<Outcome> outcomes()
        {
            return List.copyOf(outcomes);
        }

        void awaitCount(final int n)
        {
            Poll.until(() -> count.get() >= n, Duration.ofSeconds(30), () -> "replies: " + count.get() + " of " + n);
        }
    }
}
