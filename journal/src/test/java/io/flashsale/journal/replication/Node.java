package io.flashsale.journal.replication;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.JournalPort;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.queue.JournalQueues;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/** A primary or a standby in this JVM: a durable engine, its ring and its end of replication, on 127.0.0.1. */
final class Node implements AutoCloseable
{
    static final byte[] SECRET = "replication-test-secret".getBytes(StandardCharsets.UTF_8);

    final Path directory;
    final DurableEngine durable;
    final CommandPipeline pipeline;
    final Replicator replicator;
    final ReplicationPrimary primary;
    final ReplicationStandby standby;
    volatile long diverged = -1;
    /** Why this standby asked to be promoted, in order (it asks once). */
    final List<String> failovers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ReplyListener listener = event -> {
        @SuppressWarnings("unchecked")
        final CompletableFuture<Outcome> future = (CompletableFuture<Outcome>)event.attachment;
        future.complete(event.outcome);
    };

    private Node(final Path directory, final ReplicationConfig primaryConfig, final ReplicationConfig standbyConfig, final UnaryOperator<JournalPort> journal)
    {
        this.directory = directory;
        this.durable = DurableEngine.open(new JournalConfig(directory));
        final PipelineConfig config = new PipelineConfig()
            .journal(journal.apply(durable.journalPort()))
            .snapshots(durable.snapshotPort())
            .tickIntervalMillis(0)
            .ringSize(1 << 12);
        if (primaryConfig != null)
        {
            replicator = new Replicator(primaryConfig.mode, durable.journalSequence(), durable::newReader);
            config.replication(replicator);
            // As the server does: a failed ring steps the primary down.
            final java.util.concurrent.atomic.AtomicReference<ReplicationPrimary> launched = new java.util.concurrent.atomic.AtomicReference<>();
            config.failures((outcome, where, cause) -> {
                final ReplicationPrimary p = launched.get();
                if (p != null)
                {
                    p.stepDown(outcome + " in " + where + ": " + cause);
                }
            });
            pipeline = CommandPipeline.start(durable.engine(), config);
            primary = ReplicationPrimary.launch(primaryConfig, replicator, durable::newReader, EpochHistory.load(directory));
            launched.set(primary);
            standby = null;
        }
        else
        {
            replicator = null;
            primary = null;
            pipeline = CommandPipeline.start(durable.engine(), config);
            standby = ReplicationStandby.launch(standbyConfig, pipeline, durable.journalSequence(), durable::newReader, EpochHistory.load(directory),
                keepThrough -> diverged = keepThrough, failovers::add);
        }
    }

    static ReplicationConfig primaryConfig(final ReplicationMode mode)
    {
        return new ReplicationConfig().primary(new io.flashsale.journal.link.LinkEndpoint("127.0.0.1", 0)).secret(SECRET).mode(mode)
            .peerTimeoutMillis(2_000);
    }

    static Node primary(final Path directory, final ReplicationConfig config)
    {
        return new Node(directory, config, null, UnaryOperator.identity());
    }

    static Node primary(final Path directory, final ReplicationConfig config, final UnaryOperator<JournalPort> journal)
    {
        return new Node(directory, config, null, journal);
    }

    /** A standby with its replication settings adjusted (failover) and its journal wrapped. */
    static Node standby(final Path directory, final Node primary, final UnaryOperator<ReplicationConfig> settings,
        final UnaryOperator<JournalPort> journal)
    {
        return new Node(directory, null, settings.apply(
            new ReplicationConfig().primary(primary.primary.endpoint()).secret(SECRET).peerTimeoutMillis(2_000)), journal);
    }

    static Node standby(final Path directory, final Node primary, final byte[] secret, final UnaryOperator<JournalPort> journal)
    {
        return new Node(directory, null, new ReplicationConfig().primary(primary.primary.endpoint()).secret(secret).peerTimeoutMillis(2_000), journal);
    }

    static Node standby(final Path directory, final Node primary)
    {
        return standby(directory, primary, SECRET, UnaryOperator.identity());
    }

    CompletableFuture<Outcome> createSale(final long stock)
    {
        final CompletableFuture<Outcome> f = new CompletableFuture<>();
        final long now = System.currentTimeMillis();
        check(pipeline.createSale("sale", stock, now - 1, now + 3_600_000, 1_000_000, 600_000, listener, f));
        return f;
    }

    CompletableFuture<Outcome> purchase(final long user, final int qty)
    {
        final CompletableFuture<Outcome> f = new CompletableFuture<>();
        Outcome accepted;
        while ((accepted = pipeline.purchase(1, user, "shopper-" + user, qty, user, listener, f)) == Outcome.BUSY)
        {
            Thread.onSpinWait();
        }
        check(accepted);
        return f;
    }

    private static void check(final Outcome accepted)
    {
        if (accepted != Outcome.PENDING)
        {
            throw new IllegalStateException("not accepted: " + accepted);
        }
    }

    /** The sale's counts as the business thread last published them. */
    /**
     * Waits until the follower's books equal the leader's; on a timeout the message says both, and
     * how far each journal and link had got, so that a failure can be told from a slow machine.
     */
    static void awaitSameBooks(final Node follower, final Node leader)
    {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1)).untilAsserted(() ->
            org.assertj.core.api.Assertions.assertThat(follower.books())
                .as("follower %s, leader %s", follower.progress(), leader.progress())
                .isEqualTo(leader.books()));
    }

    private String progress()
    {
        return standby != null ? "standby journaled " + standby.journaledSequence() + ", " + standby.lagCommands() + " behind the primary" :
            replicator != null ? "primary at " + replicator.lastSequence() + ", standby " + replicator.standbyState() : "alone";
    }

    String books()
    {
        final SaleView sale = pipeline.views().get(1);
        if (sale == null)
        {
            return "no sale";
        }
        final io.flashsale.engine.sale.SaleCounts counts = sale.readCounts(new io.flashsale.engine.sale.SaleCounts());
        return "available=" + counts.available + " reserved=" + counts.reserved + " paid=" + counts.paid +
            " buyers=" + counts.distinctBuyers + " engineTime=" + counts.engineTime;
    }

    @Override
    public void close()
    {
        if (standby != null)
        {
            standby.close();
        }
        pipeline.close();
        if (primary != null)
        {
            primary.close();
        }
        durable.close();
    }

    /** Every record of a closed node's journal, as bytes, in order. */
    static List<byte[]> records(final Path directory) throws IOException
    {
        final List<byte[]> records = new ArrayList<>();
        try (SingleChronicleQueue queue = JournalQueues.openForReading(new JournalConfig(directory).queueDirectory());
             ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return records;
                    }
                    records.add(dc.wire().bytes().toByteArray());
                }
            }
        }
    }
}
