package io.flashsale.journal;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A durable engine and its pipeline, started the way the server starts them, with a clock the
 * test moves. Each call publishes one command and waits for its reply.
 */
final class Harness implements AutoCloseable
{
    static final long T0 = 1_750_000_000_000L;

    final DurableEngine durable;
    final CommandPipeline pipeline;
    final AtomicLong clock;
    private final ReplyListener listener;
    private boolean closed;

    private Harness(final DurableEngine durable, final AtomicLong clock, final ReplyListener extraListener)
    {
        this.durable = durable;
        this.clock = clock;
        this.listener = event ->
        {
            if (extraListener != null)
            {
                extraListener.onReply(event);
            }
            @SuppressWarnings("unchecked")
            final CompletableFuture<Reply> future = (CompletableFuture<Reply>)event.attachment;
            future.complete(Reply.of(event));
        };
        this.pipeline = CommandPipeline.start(durable.engine(), new PipelineConfig()
            .journal(durable.journalPort())
            .snapshots(durable.snapshotPort())
            .tickIntervalMillis(0)
            .clock(clock::get)
            .ringSize(1024));
        durable.scheduleSnapshots(pipeline);
    }

    static Harness open(final JournalConfig config, final AtomicLong clock)
    {
        return open(config, clock, null);
    }

    static Harness open(final JournalConfig config, final AtomicLong clock, final ReplyListener extraListener)
    {
        return new Harness(DurableEngine.open(config), clock, extraListener);
    }

    Reply createSale(final String name, final long stock, final int perUserLimit, final long paymentWindowMillis)
    {
        final long now = clock.get();
        return call(f -> pipeline.createSale(name, stock, now - 1, now + 3_600_000, perUserLimit, paymentWindowMillis, listener, f));
    }

    Reply purchase(final long sale, final long user, final int qty, final long key)
    {
        return call(f -> pipeline.purchase(sale, user, qty, key, listener, f));
    }

    /** A purchase that names its shopper, as the HTTP front publishes one. */
    Reply purchase(final long sale, final long user, final String subject, final int qty, final long key)
    {
        return call(f -> pipeline.purchase(sale, user, subject, qty, key, listener, f));
    }

    Reply pay(final long order, final long user, final String ref)
    {
        return call(f -> pipeline.pay(order, user, ref, listener, f));
    }

    Reply cancel(final long order, final long user)
    {
        return call(f -> pipeline.cancel(order, user, listener, f));
    }

    Reply query(final long order, final long user)
    {
        return call(f -> pipeline.queryOrder(order, user, listener, f));
    }

    /** Publishes a SNAPSHOT and waits until its file is written. */
    void snapshotAndWait()
    {
        final long before = durable.lastSnapshotSequence();
        call(f -> pipeline.snapshot(listener, f));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (durable.lastSnapshotSequence() == before)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("no snapshot written within 20 s");
            }
            Thread.onSpinWait();
        }
    }

    void tick()
    {
        pipeline.tick();
    }

    private Reply call(final Function<CompletableFuture<Reply>, Outcome> publish)
    {
        final CompletableFuture<Reply> future = new CompletableFuture<>();
        Outcome accepted;
        while ((accepted = publish.apply(future)) == Outcome.BUSY)
        {
            Thread.onSpinWait();
        }
        if (accepted != Outcome.PENDING)
        {
            throw new AssertionError("not accepted: " + accepted);
        }
        return future.orTimeout(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Closes the pipeline and the durable engine and returns the engine's state hash. */
    long closeAndHash()
    {
        pipeline.close();
        final long hash = EngineSnapshot.stateHash(durable.engine());
        durable.close();
        closed = true;
        return hash;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closeAndHash();
        }
    }
}
