package io.flashsale.engine.pipeline;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.model.Invariants;
import io.flashsale.engine.sale.Sale;
import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many producers racing for a small stock through the real ring: exactly the stock is sold,
 * never more, nobody above the limit, and every accepted command gets exactly one reply.
 */
class ConcurrentPurchaseTest
{
    private static final int PUBLISHERS = 8;
    private static final int USERS_PER_PUBLISHER = 250;
    private static final long STOCK = 100;
    private static final int LIMIT = 2;
    private static final long START = 1_000_000L;

    /** What a publisher asked for under one attachment id. */
    private record Request(long user, int qty, long key)
    {
    }

    private final SaleEngine engine = new SaleEngine();
    private final ReplyRecorder replies = new ReplyRecorder();
    private final Map<Long, Request> requests = new ConcurrentHashMap<>();
    private final AtomicLong nextAttachment = new AtomicLong();
    private CommandPipeline pipeline;

    @AfterEach
    void close()
    {
        if (pipeline != null)
        {
            pipeline.close();
        }
    }

    /** Publishes until the ring takes it: BUSY means retry. */
    private static void publish(final Supplier<Outcome> attempt)
    {
        Outcome outcome;
        while ((outcome = attempt.get()) == Outcome.BUSY)
        {
            Thread.yield();
        }
        assertThat(outcome).isEqualTo(Outcome.PENDING);
    }

    private void purchase(final long user, final int qty, final long key)
    {
        final long id = nextAttachment.incrementAndGet();
        requests.put(id, new Request(user, qty, key));
        publish(() -> pipeline.purchase(1, user, qty, key, replies, id));
    }

    private static void runOnThreads(final int threads, final ThreadBody body) throws Exception
    {
        final CyclicBarrier together = new CyclicBarrier(threads);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final int index = t;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    together.await(20, TimeUnit.SECONDS);
                    body.run(index);
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }, "publisher-" + t);
            started.add(thread);
            thread.start();
        }
        for (final Thread thread : started)
        {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
        if (failure.get() != null)
        {
            throw new AssertionError("a publisher failed", failure.get());
        }
    }

    @FunctionalInterface
    private interface ThreadBody
    {
        void run(int index) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(StageLayout.class)
    void racingShoppersBuyExactlyTheStockAndEveryCommandIsAnsweredOnce(final StageLayout layout) throws Exception
    {
        final PipelineConfig config = new PipelineConfig().ringSize(256).tickIntervalMillis(0).clock(() -> START).stageLayout(layout);
        config.threadNamePrefix = "race";
        pipeline = CommandPipeline.start(engine, config);
        assertThat(pipeline.createSale("drop", STOCK, START, START + 60_000, LIMIT, 60_000, replies, 0L)).isEqualTo(Outcome.PENDING);
        replies.awaitCount(1);

        final SaleView view = pipeline.views().get(1);
        final AtomicBoolean racing = new AtomicBoolean(true);
        final AtomicReference<String> badView = new AtomicReference<>();
        final Thread watcher = new Thread(() ->
        {
            final SaleCounts counts = new SaleCounts();
            long lastAvailable = STOCK;
            while (racing.get())
            {
                view.readCounts(counts);
                if (counts.available + counts.reserved + counts.paid != STOCK || counts.available > lastAvailable || counts.available < 0)
                {
                    badView.compareAndSet(null, "available " + counts.available + " after " + lastAvailable +
                        ", reserved " + counts.reserved + ", paid " + counts.paid);
                }
                lastAvailable = counts.available;
                Thread.yield();
            }
        }, "view-watcher");
        watcher.start();

        // Phase 1: every shopper tries to buy; some resend with the same key, some try again without.
        runOnThreads(PUBLISHERS, t ->
        {
            for (long user = t * USERS_PER_PUBLISHER + 1L; user <= (t + 1L) * USERS_PER_PUBLISHER; user++)
            {
                purchase(user, 1 + (int)(user % LIMIT), user * 10);
                if (user % 5 == 0)
                {
                    purchase(user, 1, user * 10);
                }
                if (user % 3 == 0)
                {
                    purchase(user, 1, 0);
                }
            }
        });
        replies.awaitCount(requests.size() + 1);
        racing.set(false);
        watcher.join();

        assertThat(badView.get()).isNull();
        assertEveryCommandAnsweredOnce();
        final Map<Long, Long> reservedByUser = new HashMap<>();
        final Map<Long, Long> orderOfKey = new HashMap<>();
        final Set<Long> orderIds = new HashSet<>();
        long reservedUnits = 0;
        for (final ReplyRecorder.Reply reply : replies.replies())
        {
            if (reply.result().outcome() == Outcome.RESERVED)
            {
                final Request request = requests.get((Long)reply.attachment());
                assertThat(reply.result().userId()).isEqualTo(request.user());
                assertThat(orderIds.add(reply.result().orderId())).isTrue();
                reservedByUser.merge(request.user(), (long)request.qty(), Long::sum);
                reservedUnits += request.qty();
                if (request.key() != 0)
                {
                    orderOfKey.put(request.key(), reply.result().orderId());
                }
            }
        }
        assertThat(reservedUnits).isEqualTo(STOCK);
        assertThat(reservedByUser.values()).allSatisfy(units -> assertThat(units).isLessThanOrEqualTo(LIMIT));
        assertThat(orderIds).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, orderIds.size()).boxed().toList());
        for (final ReplyRecorder.Reply reply : replies.replies())
        {
            if (reply.result().outcome() == Outcome.DUPLICATE)
            {
                final Request request = requests.get((Long)reply.attachment());
                assertThat(reply.result().orderId()).isEqualTo(orderOfKey.get(request.key()));
            }
        }

        // Phase 2: the winners pay for their odd orders and cancel their even ones, concurrently.
        final List<ReplyRecorder.Reply> won = replies.replies().stream().filter(r -> r.result().outcome() == Outcome.RESERVED).toList();
        final int before = replies.count();
        runOnThreads(PUBLISHERS, t ->
        {
            for (int i = t; i < won.size(); i += PUBLISHERS)
            {
                final long order = won.get(i).result().orderId();
                final long user = won.get(i).result().userId();
                final long id = nextAttachment.incrementAndGet();
                requests.put(id, new Request(user, won.get(i).result().qty(), 0));
                publish(() -> order % 2 == 1
                    ? pipeline.pay(order, user, "psp-" + order, replies, id)
                    : pipeline.cancel(order, user, replies, id));
            }
        });
        replies.awaitCount(before + won.size());
        pipeline.close();

        assertEveryCommandAnsweredOnce();
        final long paidUnits = won.stream().filter(r -> r.result().orderId() % 2 == 1).mapToLong(r -> r.result().qty()).sum();
        final Sale sale = engine.sale(1);
        assertThat(sale.paidUnits).isEqualTo(paidUnits);
        assertThat(sale.reservedUnits).isZero();
        assertThat(sale.available).isEqualTo(STOCK - paidUnits);
        assertThat(Invariants.check(engine)).isEmpty();
        assertThat(replies.replies().stream().skip(before)).allSatisfy(r ->
            assertThat(r.result().outcome()).isIn(Outcome.PAID, Outcome.CANCELLED));
    }

    private void assertEveryCommandAnsweredOnce()
    {
        assertThat(replies.count()).isEqualTo(requests.size() + 1);
        assertThat(replies.countsByAttachment().keySet()).containsAll(requests.keySet());
        assertThat(replies.countsByAttachment().values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }
}
