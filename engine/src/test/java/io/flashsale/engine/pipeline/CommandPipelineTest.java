package io.flashsale.engine.pipeline;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.SaleCounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class CommandPipelineTest
{
    private static final long START = 1_000_000L;
    private static final long END = START + 60_000;
    private static final long WINDOW = 5_000;
    private static final AtomicInteger PIPELINES = new AtomicInteger();

    private final AtomicLong clock = new AtomicLong(START);
    private final ReplyRecorder replies = new ReplyRecorder();
    private final SaleEngine engine = new SaleEngine();
    private final List<Runnable> cleanups = new ArrayList<>();
    private CommandPipeline pipeline;

    /** The layout under test; {@link SerialCommandPipelineTest} runs every test here with the other one. */
    StageLayout layout()
    {
        return StageLayout.PARALLEL;
    }

    private PipelineConfig config()
    {
        final PipelineConfig config = new PipelineConfig().clock(clock::get).tickIntervalMillis(0).stageLayout(layout());
        config.threadNamePrefix = "pipeline-test-" + PIPELINES.incrementAndGet();
        return config;
    }

    private CommandPipeline start(final PipelineConfig config)
    {
        pipeline = CommandPipeline.start(engine, config);
        return pipeline;
    }

    @AfterEach
    void closePipeline()
    {
        cleanups.forEach(Runnable::run);
        if (pipeline != null)
        {
            pipeline.close();
        }
    }

    private void createSale(final long stock, final int limit)
    {
        assertThat(pipeline.createSale("sale", stock, START, END, limit, WINDOW, replies, "create")).isEqualTo(Outcome.PENDING);
    }

    private static List<Thread> liveThreads(final String prefix)
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith(prefix + "-") && t.isAlive())
            .toList();
    }

    @Test
    void acceptedCommandsAreAppliedInRingOrderAndAnsweredOnTheReplyThread()
    {
        final PipelineConfig config = config();
        start(config);
        createSale(10, 2);
        assertThat(pipeline.purchase(1, 7, 2, 0, replies, "buy")).isEqualTo(Outcome.PENDING);
        assertThat(pipeline.pay(1, 7, "psp-1", replies, "pay")).isEqualTo(Outcome.PENDING);
        assertThat(pipeline.cancel(1, 7, replies, "cancel")).isEqualTo(Outcome.PENDING);
        assertThat(pipeline.queryOrder(1, 8, replies, "query")).isEqualTo(Outcome.PENDING);
        replies.awaitCount(5);

        assertThat(replies.the("create").result().outcome()).isEqualTo(Outcome.SALE_CREATED);
        assertThat(replies.the("buy").result().outcome()).isEqualTo(Outcome.RESERVED);
        assertThat(replies.the("buy").result().deadline()).isEqualTo(START + WINDOW);
        assertThat(replies.the("pay").result().outcome()).isEqualTo(Outcome.PAID);
        assertThat(replies.the("cancel").result().outcome()).isEqualTo(Outcome.ALREADY_PAID);
        assertThat(replies.the("query").result().outcome()).isEqualTo(Outcome.NOT_OWNER);
        assertThat(replies.replies()).extracting(ReplyRecorder.Reply::attachment).containsExactly("create", "buy", "pay", "cancel", "query");
        assertThat(replies.replies()).allSatisfy(r -> assertThat(r.thread()).startsWith(config.threadNamePrefix + "-stage-"));
    }

    @Test
    void serviceMeterCountsEveryAppliedCommandAndTheTimeSpentOnThem()
    {
        start(config());
        assertThat(pipeline.serviceMeter().commands()).isZero();
        createSale(100, 1);
        for (int user = 1; user <= 50; user++)
        {
            assertThat(pipeline.purchase(1, user, 1, 0, replies, "buy-" + user)).isEqualTo(Outcome.PENDING);
        }
        replies.awaitCount(51);

        final ServiceMeter meter = pipeline.serviceMeter();
        // The count is written at the end of the batch, after its replies: wait for the last batch's.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (meter.commands() < 51 && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        assertThat(meter.commands()).isEqualTo(51);
        assertThat(meter.busyNanos()).isPositive();
    }

    @Test
    void viewIsPublishedBeforeTheReplyArrives()
    {
        start(config());
        final AtomicLong availableSeenAtReply = new AtomicLong(-1);
        createSale(10, 3);
        assertThat(pipeline.purchase(1, 7, 3, 0, event ->
        {
            availableSeenAtReply.set(pipeline.views().get(1).available());
            replies.onReply(event);
        }, "buy")).isEqualTo(Outcome.PENDING);
        replies.awaitCount(2);

        assertThat(availableSeenAtReply.get()).isEqualTo(7);
    }

    @Test
    void fullRingAnswersBusyAndRecoversOnceTheStagesCatchUp() throws Exception
    {
        final CountDownLatch journalMayGo = new CountDownLatch(1);
        cleanups.add(journalMayGo::countDown);
        final PipelineConfig config = config().ringSize(4).journal(new JournalPort()
        {
            @Override
            public void append(final CommandEvent command) throws InterruptedException
            {
                journalMayGo.await();
            }

            @Override
            public void endOfBatch()
            {
            }
        });
        start(config);
        createSale(10, 3);
        for (int i = 1; i <= 3; i++)
        {
            assertThat(pipeline.purchase(1, i, 1, 0, replies, "buy-" + i)).isEqualTo(Outcome.PENDING);
        }

        assertThat(pipeline.remainingCapacity()).isZero();
        assertThat(pipeline.purchase(1, 9, 1, 0, replies, "refused")).isEqualTo(Outcome.BUSY);
        assertThat(pipeline.tick()).isEqualTo(Outcome.BUSY);
        assertThat(pipeline.queryOrder(1, 1, replies, "refused")).isEqualTo(Outcome.BUSY);

        journalMayGo.countDown();
        replies.awaitCount(4);
        assertThat(replies.countFor("refused")).isZero();
        assertThat(pipeline.purchase(1, 9, 1, 0, replies, "later")).isEqualTo(Outcome.PENDING);
        replies.awaitCount(5);
        assertThat(replies.the("later").result().outcome()).isEqualTo(Outcome.RESERVED);
        assertThat(replies.the("later").result().orderId()).isEqualTo(4);
    }

    @Test
    void failingJournalAnswersJournalFailedAndStopsAcceptingCommands()
    {
        final CountDownLatch failNow = new CountDownLatch(1);
        cleanups.add(failNow::countDown);
        final AtomicInteger appends = new AtomicInteger();
        start(config().journal(new JournalPort()
        {
            @Override
            public void append(final CommandEvent command) throws Exception
            {
                if (appends.incrementAndGet() == 2)
                {
                    failNow.await();
                    throw new java.io.IOException("disk full");
                }
            }

            @Override
            public void endOfBatch()
            {
            }
        }));
        createSale(10, 3);
        // Answered before the failure: in PARALLEL the engine stops applying at the failure, so a
        // command journaled but not yet applied then is answered ENGINE_ERROR (recorded, outcome unknown).
        replies.awaitCount(1);
        assertThat(pipeline.purchase(1, 7, 1, 0, replies, "not journaled")).isEqualTo(Outcome.PENDING);
        assertThat(pipeline.purchase(1, 8, 1, 0, replies, "behind the failure")).isEqualTo(Outcome.PENDING);
        assertThat(pipeline.queryOrder(1, 7, replies, "query behind the failure")).isEqualTo(Outcome.PENDING);

        failNow.countDown();
        replies.awaitCount(4);

        assertThat(replies.the("create").result().outcome()).isEqualTo(Outcome.SALE_CREATED);
        assertThat(replies.the("not journaled").result().outcome()).isEqualTo(Outcome.JOURNAL_FAILED);
        assertThat(replies.the("behind the failure").result().outcome()).isEqualTo(Outcome.JOURNAL_FAILED);
        assertThat(replies.the("query behind the failure").result().outcome()).isEqualTo(Outcome.JOURNAL_FAILED);
        assertThat(pipeline.isAccepting()).isFalse();
        assertThat(pipeline.purchase(1, 9, 1, 0, replies, "after")).isEqualTo(Outcome.SHUTTING_DOWN);
        assertThat(pipeline.tick()).isEqualTo(Outcome.SHUTTING_DOWN);
        assertThat(appends.get()).isEqualTo(2);
    }

    @Test
    void failingEndOfBatchAlsoStopsAcceptingCommands()
    {
        start(config().journal(new JournalPort()
        {
            @Override
            public void append(final CommandEvent command)
            {
            }

            @Override
            public void endOfBatch() throws Exception
            {
                throw new java.io.IOException("msync failed");
            }
        }));
        createSale(10, 3);
        replies.awaitCount(1);

        assertThat(replies.the("create").result().outcome()).isEqualTo(Outcome.JOURNAL_FAILED);
        assertThat(pipeline.isAccepting()).isFalse();
        assertThat(pipeline.purchase(1, 7, 1, 0, replies, "after")).isEqualTo(Outcome.SHUTTING_DOWN);
    }

    @Test
    void closeAnswersEverythingAcceptedAndStopsItsThreads() throws Exception
    {
        final PipelineConfig config = config().ringSize(64).tickIntervalMillis(1);
        start(config);
        createSale(1_000, 1);
        final AtomicInteger accepted = new AtomicInteger(1);
        final AtomicInteger acceptedPurchases = new AtomicInteger();
        final CountDownLatch publishing = new CountDownLatch(4);
        final List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < 4; p++)
        {
            final int publisher = p;
            final Thread thread = new Thread(() ->
            {
                for (int i = 0; ; i++)
                {
                    final boolean query = i % 3 == 2;
                    final Outcome outcome = query
                        ? pipeline.queryOrder(i, publisher + 1, replies, publisher + ":" + i)
                        : pipeline.purchase(1, publisher * 1_000_000L + i + 1, 1, 0, replies, publisher + ":" + i);
                    if (outcome == Outcome.PENDING)
                    {
                        accepted.incrementAndGet();
                        acceptedPurchases.addAndGet(query ? 0 : 1);
                    }
                    else if (outcome == Outcome.BUSY)
                    {
                        Thread.onSpinWait();
                    }
                    else
                    {
                        assertThat(outcome).isEqualTo(Outcome.SHUTTING_DOWN);
                        return;
                    }
                    if (i == 100)
                    {
                        publishing.countDown();
                    }
                }
            }, "publisher-" + p);
            publishers.add(thread);
            thread.start();
        }
        assertThat(publishing.await(20, TimeUnit.SECONDS)).isTrue();

        pipeline.close();
        for (final Thread thread : publishers)
        {
            thread.join(TimeUnit.SECONDS.toMillis(20));
            assertThat(thread.isAlive()).isFalse();
        }

        // close() returns after the last reply: no waiting here.
        assertThat(replies.count()).isEqualTo(accepted.get());
        assertThat(replies.countsByAttachment().values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(pipeline.isAccepting()).isFalse();
        assertThat(pipeline.purchase(1, 1, 1, 0, replies, "late")).isEqualTo(Outcome.SHUTTING_DOWN);
        Poll.until(() -> liveThreads(config.threadNamePrefix).isEmpty(), Duration.ofSeconds(10),
            () -> "stage threads to end: " + liveThreads(config.threadNamePrefix));
        final SaleCounts counts = pipeline.views().get(1).readCounts(new SaleCounts());
        assertThat(counts.reserved).isEqualTo(engine.sale(1).reservedUnits).isEqualTo(Math.min(1_000, acceptedPurchases.get()));
    }

    @RepeatedTest(30)
    void closeRightAfterStartStillAnswersEverythingAccepted()
    {
        final SaleEngine fresh = new SaleEngine();
        final ReplyRecorder recorder = new ReplyRecorder();
        final CommandPipeline quick = CommandPipeline.start(fresh, config());

        quick.createSale("sale", 10, START, END, 2, WINDOW, recorder, "create");
        quick.purchase(1, 7, 1, 0, recorder, "buy");
        quick.queryOrder(1, 7, recorder, "query");
        quick.close();

        assertThat(recorder.count()).as("replies after close").isEqualTo(3);
        assertThat(fresh.orders().count()).isEqualTo(1);
    }

    @Test
    void closeIsIdempotentAndWorksOnAnIdlePipeline()
    {
        final PipelineConfig config = config();
        start(config);

        pipeline.close();
        pipeline.close();

        assertThat(pipeline.tick()).isEqualTo(Outcome.SHUTTING_DOWN);
        Poll.until(() -> liveThreads(config.threadNamePrefix).isEmpty(), Duration.ofSeconds(10),
            () -> "stage threads to end: " + liveThreads(config.threadNamePrefix));
    }

    @Test
    void tickTimerExpiresUnpaidOrdersOnThePipelinesClock()
    {
        start(config().tickIntervalMillis(2));
        createSale(2, 2);
        assertThat(pipeline.purchase(1, 7, 2, 0, replies, "buy")).isEqualTo(Outcome.PENDING);
        replies.awaitCount(2);
        assertThat(pipeline.views().get(1).available()).isZero();

        clock.set(START + WINDOW);

        Poll.until(() -> pipeline.views().get(1).readCounts(new SaleCounts()).expired == 2, Duration.ofSeconds(20),
            () -> "the ticker to expire the order");
        assertThat(pipeline.views().get(1).available()).isEqualTo(2);
        assertThat(pipeline.queryOrder(1, 7, replies, "query")).isEqualTo(Outcome.PENDING);
        replies.awaitCount(3);
        assertThat(replies.the("query").result().orderState()).isEqualTo(OrderState.EXPIRED);
    }

    @Test
    void withoutTicksNothingExpiresWhileNobodyBuys() throws Exception
    {
        start(config());
        createSale(2, 2);
        assertThat(pipeline.purchase(1, 7, 2, 0, replies, "buy")).isEqualTo(Outcome.PENDING);
        replies.awaitCount(2);

        clock.set(START + WINDOW);
        Thread.sleep(50);

        // With the timer off only a command moves the clock; this one does.
        assertThat(pipeline.views().get(1).readCounts(new SaleCounts()).expired).isZero();
        assertThat(pipeline.tick()).isEqualTo(Outcome.PENDING);
        Poll.until(() -> pipeline.views().get(1).readCounts(new SaleCounts()).expired == 2, Duration.ofSeconds(20),
            () -> "the tick to expire the order");
    }

    @Test
    void snapshotHandsAConsistentEngineToThePortOnTheBusinessThread()
    {
        final AtomicReference<String> portThread = new AtomicReference<>();
        final AtomicLong appliedAtSnapshot = new AtomicLong();
        final AtomicLong hashAtSnapshot = new AtomicLong();
        final PipelineConfig config = config().snapshots(e ->
        {
            portThread.set(Thread.currentThread().getName());
            appliedAtSnapshot.set(e.appliedCount());
            hashAtSnapshot.set(EngineSnapshot.stateHash(e));
        });
        start(config);
        createSale(10, 2);
        pipeline.purchase(1, 7, 1, 0, replies, "buy");
        assertThat(pipeline.snapshot(replies, "snapshot")).isEqualTo(Outcome.PENDING);
        replies.awaitCount(3);
        pipeline.close();

        assertThat(replies.the("snapshot").result().outcome()).isEqualTo(Outcome.OK);
        assertThat(appliedAtSnapshot.get()).isEqualTo(2);
        assertThat(hashAtSnapshot.get()).isEqualTo(EngineSnapshot.stateHash(engine));
        assertThat(portThread.get()).startsWith(config.threadNamePrefix + "-stage-");
        if (layout() == StageLayout.PARALLEL)
        {
            assertThat(portThread.get()).isNotEqualTo(replies.the("buy").thread());
        }
    }

    @Test
    void stageThatThrowsAnswersEveryCommandInFlightWithEngineErrorAndTellsTheListenerOnce() throws Exception
    {
        final CountDownLatch throwNow = new CountDownLatch(1);
        cleanups.add(throwNow::countDown);
        final FailureRecorder failures = new FailureRecorder();
        final PipelineConfig config = config().failures(failures).snapshots(e ->
        {
            throwNow.await();
            throw new OutOfMemoryError("injected: Java heap space");
        });
        start(config);
        createSale(10, 2);
        pipeline.snapshot(replies, "snapshot");
        assertThat(pipeline.purchase(1, 7, 1, 0, replies, "in flight")).isEqualTo(Outcome.PENDING);
        assertThat(pipeline.purchase(1, 8, 1, 0, replies, "also in flight")).isEqualTo(Outcome.PENDING);
        assertThat(pipeline.queryOrder(1, 7, replies, "query in flight")).isEqualTo(Outcome.PENDING);

        throwNow.countDown();
        replies.awaitCount(5);

        assertThat(replies.the("create").result().outcome()).isEqualTo(Outcome.SALE_CREATED);
        for (final String inFlight : List.of("snapshot", "in flight", "also in flight", "query in flight"))
        {
            assertThat(replies.the(inFlight).result().outcome()).as(inFlight).isEqualTo(Outcome.ENGINE_ERROR);
        }
        final FailureRecorder.Failure failure = failures.only();
        assertThat(failure.outcome()).isEqualTo(Outcome.ENGINE_ERROR);
        assertThat(failure.where()).contains("business logic stage");
        assertThat(failure.cause()).isInstanceOf(OutOfMemoryError.class).hasMessageContaining("injected");
        assertThat(failure.thread()).startsWith(config.threadNamePrefix + "-stage-");
        assertThat(pipeline.hasFailed()).isTrue();
        assertThat(pipeline.isAccepting()).isFalse();
        assertThat(pipeline.purchase(1, 9, 1, 0, replies, "after")).isEqualTo(Outcome.SHUTTING_DOWN);

        pipeline.close();
        assertThat(engine.sale(1).available).as("nothing behind the failure was applied").isEqualTo(10);
        assertThat(failures.failures()).hasSize(1);
    }

    @Test
    void journalThatThrowsAnErrorAnswersJournalFailedAndTellsTheListener()
    {
        final CountDownLatch failNow = new CountDownLatch(1);
        cleanups.add(failNow::countDown);
        final FailureRecorder failures = new FailureRecorder();
        final AtomicInteger appends = new AtomicInteger();
        start(config().failures(failures).journal(new JournalPort()
        {
            @Override
            public void append(final CommandEvent command) throws Exception
            {
                if (appends.incrementAndGet() == 2)
                {
                    failNow.await();
                    throw new OutOfMemoryError("injected: Direct buffer memory");
                }
            }

            @Override
            public void endOfBatch()
            {
            }
        }));
        createSale(10, 3);
        replies.awaitCount(1);
        pipeline.purchase(1, 7, 1, 0, replies, "not journaled");
        pipeline.purchase(1, 8, 1, 0, replies, "behind the failure");

        failNow.countDown();
        replies.awaitCount(3);

        assertThat(replies.the("not journaled").result().outcome()).isEqualTo(Outcome.JOURNAL_FAILED);
        assertThat(replies.the("behind the failure").result().outcome()).isEqualTo(Outcome.JOURNAL_FAILED);
        assertThat(failures.only().outcome()).isEqualTo(Outcome.JOURNAL_FAILED);
        assertThat(failures.only().where()).isEqualTo("journal stage");
        assertThat(pipeline.isAccepting()).isFalse();
        assertThat(appends.get()).isEqualTo(2);
    }

    @Test
    void replyListenerThatThrowsAnErrorFailsThePipelineAndLaterCommandsAreStillAnswered()
    {
        final FailureRecorder failures = new FailureRecorder();
        start(config().failures(failures));
        createSale(10, 2);
        pipeline.purchase(1, 7, 1, 0, event ->
        {
            throw new OutOfMemoryError("injected while answering");
        }, "lost");
        pipeline.purchase(1, 8, 1, 0, replies, "behind");
        replies.awaitCount(2);

        assertThat(replies.countFor("behind")).isEqualTo(1);
        assertThat(failures.only().where()).isEqualTo("reply stage");
        assertThat(pipeline.isAccepting()).isFalse();
    }

    @Test
    void publisherThatThrowsBetweenClaimAndPublishFailsThePipelineWithoutStallingTheRing()
    {
        final FailureRecorder failures = new FailureRecorder();
        start(config().failures(failures));
        createSale(10, 2);
        final CharSequence broken = new CharSequence()
        {
            @Override
            public int length()
            {
                return 4;
            }

            @Override
            public char charAt(final int index)
            {
                throw new IllegalStateException("injected: text that cannot be read");
            }

            @Override
            public CharSequence subSequence(final int start, final int end)
            {
                throw new UnsupportedOperationException();
            }
        };

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pipeline.pay(1, 7, broken, replies, "broken"))
            .hasMessageContaining("injected");
        replies.awaitCount(1);

        assertThat(replies.countFor("broken")).isZero();
        assertThat(failures.only().where()).isEqualTo("a publisher");
        assertThat(pipeline.isAccepting()).isFalse();
        // The abandoned slot was published: the stages get past it and close drains at once.
        Poll.until(() -> pipeline.remainingCapacity() == pipeline.ringSize(), Duration.ofSeconds(20), () -> "the ring to drain");
    }

    @Test
    void tickerThatThrowsFailsThePipeline()
    {
        final FailureRecorder failures = new FailureRecorder();
        final PipelineConfig config = config().tickIntervalMillis(1).clock(() ->
        {
            if (Thread.currentThread().getName().endsWith("-ticker"))
            {
                throw new IllegalStateException("injected: the ticker's clock broke");
            }
            return clock.get();
        });
        start(config.failures(failures));

        Poll.until(() -> !failures.failures().isEmpty(), Duration.ofSeconds(20), () -> "the failure");

        assertThat(failures.only().outcome()).isEqualTo(Outcome.ENGINE_ERROR);
        assertThat(failures.only().thread()).isEqualTo(config.threadNamePrefix + "-ticker");
        assertThat(failures.only().cause()).hasMessageContaining("injected");
        assertThat(pipeline.purchase(1, 7, 1, 0, replies, "after")).isEqualTo(Outcome.SHUTTING_DOWN);
    }

    @Test
    void helperThatReportsAFailureStopsThePipeline()
    {
        final FailureRecorder failures = new FailureRecorder();
        start(config().failures(failures));
        createSale(10, 2);
        replies.awaitCount(1);

        pipeline.fail("snapshot writer", new OutOfMemoryError("injected"));

        assertThat(failures.only().where()).isEqualTo("snapshot writer");
        assertThat(pipeline.hasFailed()).isTrue();
        assertThat(pipeline.purchase(1, 7, 1, 0, replies, "after")).isEqualTo(Outcome.SHUTTING_DOWN);
    }

    @Test
    void failingReplyListenerDoesNotStopLaterReplies()
    {
        start(config());
        createSale(10, 2);
        pipeline.purchase(1, 7, 1, 0, event ->
        {
            throw new IllegalStateException("client went away");
        }, "lost");
        pipeline.purchase(1, 8, 1, 0, replies, "buy");
        replies.awaitCount(2);

        assertThat(replies.the("buy").result().outcome()).isEqualTo(Outcome.RESERVED);
        assertThat(replies.the("buy").result().orderId()).isEqualTo(2);
    }

    @Test
    void textThatDoesNotFitIsInvalidAndNeverReachesTheRing()
    {
        start(config());
        final long free = pipeline.remainingCapacity();

        assertThat(pipeline.pay(1, 7, "x".repeat(CommandEvent.MAX_TEXT_BYTES + 1), replies, "pay")).isEqualTo(Outcome.INVALID);
        // 43 three-byte characters are 129 bytes: too long although only 43 chars.
        assertThat(pipeline.createSale("\u20ac".repeat(43), 10, START, END, 1, WINDOW, replies, "create")).isEqualTo(Outcome.INVALID);
        assertThat(pipeline.remainingCapacity()).isEqualTo(free);

        assertThat(pipeline.createSale("\u20ac".repeat(42), 10, START, END, 1, WINDOW, replies, "fits")).isEqualTo(Outcome.PENDING);
        assertThat(pipeline.pay(1, 7, "x".repeat(CommandEvent.MAX_TEXT_BYTES), replies, "pay fits")).isEqualTo(Outcome.PENDING);
        replies.awaitCount(2);
        assertThat(pipeline.views().get(1).name).isEqualTo("\u20ac".repeat(42));
        assertThat(replies.countFor("create")).isZero();
    }

    @Test
    void journalSeesOnlyJournaledCommandsAndEachBatchEnds()
    {
        final List<CommandType> journaled = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicInteger batches = new AtomicInteger();
        start(config().journal(new JournalPort()
        {
            @Override
            public void append(final CommandEvent command)
            {
                journaled.add(command.type);
            }

            @Override
            public void endOfBatch()
            {
                batches.incrementAndGet();
            }
        }));
        createSale(10, 2);
        pipeline.purchase(1, 7, 1, 0, replies, "buy");
        pipeline.queryOrder(1, 7, replies, "query");
        pipeline.snapshot(replies, "snapshot");
        pipeline.tick();
        pipeline.close();

        assertThat(journaled).containsExactly(CommandType.CREATE_SALE, CommandType.PURCHASE, CommandType.TICK);
        assertThat(batches.get()).isPositive();
        assertThat(replies.count()).isEqualTo(4);
    }

    /** Counts replies since its last batch end, on the reply thread; read after the pipeline drained. */
    private static final class BatchCounter implements io.flashsale.engine.command.ReplyListener
    {
        final AtomicInteger replies = new AtomicInteger();
        final AtomicInteger batchEnds = new AtomicInteger();
        final AtomicInteger pendingAtBatchEnd = new AtomicInteger();
        final AtomicInteger emptyBatchEnds = new AtomicInteger();
        private int pending;

        @Override
        public void onReply(final CommandEvent event)
        {
            replies.incrementAndGet();
            pending++;
        }

        @Override
        public void onBatchEnd()
        {
            batchEnds.incrementAndGet();
            if (pending == 0)
            {
                emptyBatchEnds.incrementAndGet();
            }
            pendingAtBatchEnd.addAndGet(pending);
            pending = 0;
        }
    }

    @Test
    void everyReplyIsFollowedByABatchEndOfItsOwnListener() throws Exception
    {
        start(config());
        createSale(1_000_000, 1_000_000);
        final BatchCounter first = new BatchCounter();
        final BatchCounter second = new BatchCounter();
        final int perProducer = 20_000;
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++)
        {
            final BatchCounter listener = p == 0 ? first : second;
            final long user = p + 1;
            final Thread producer = new Thread(() -> {
                for (int i = 0; i < perProducer; i++)
                {
                    while (pipeline.purchase(1, user, 1, 0, listener, null) != Outcome.PENDING)
                    {
                        Thread.onSpinWait();
                    }
                }
            });
            producer.start();
            producers.add(producer);
        }
        for (final Thread producer : producers)
        {
            producer.join();
        }
        pipeline.close();
        for (final BatchCounter listener : List.of(first, second))
        {
            assertThat(listener.replies.get()).isEqualTo(perProducer);
            // Nothing left waiting for a batch end, each batch end had something, and batching happened at all.
            assertThat(listener.pendingAtBatchEnd.get()).isEqualTo(perProducer);
            assertThat(listener.batchEnds.get()).isBetween(1, perProducer);
            assertThat(listener.emptyBatchEnds.get()).isZero();
        }
    }
}
