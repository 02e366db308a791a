package io.flashsale.journal.replication;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.queue.JournalDiff;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalReader;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Catch-up over real Aeron on 127.0.0.1 with real Chronicle journals: a journal of every kind of
 * record (sales, purchases with subjects, refusals, payments, cancellations) reaches a standby byte
 * for byte, whether the standby starts empty or resumes, far behind, from its own last record.
 */
class CatchUpTest
{
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    private final ReplyListener listener = event -> {
        @SuppressWarnings("unchecked")
        final CompletableFuture<long[]> future = (CompletableFuture<long[]>)event.attachment;
        future.complete(new long[] {event.outcome.ordinal(), event.resultOrderId});
    };

    @Test
    void aStandbyFarBehindResumesFromItsLastRecordAndEndsWithThePrimarysJournalByteForByte() throws Exception
    {
        final Path primaryDir = temp.resolve("primary");
        final Path standbyDir = temp.resolve("standby");
        final long standbyStoppedAt;
        final long received;
        // Sync, going on alone while the standby is away (a primary set to stall would refuse the traffic meanwhile).
        try (Node primary = Node.primary(primaryDir, Node.primaryConfig(ReplicationMode.SYNC).onStandbyLost(StandbyLost.CONTINUE_ALONE)))
        {
            createSales(primary);
            try (Node standby = Node.standby(standbyDir, primary))
            {
                await().atMost(PATIENCE).until(() -> primary.replicator.inSync());
                mixedTraffic(primary, 1, 2_000);
                standbyStoppedAt = standby.standby.journaledSequence();
                assertThat(standbyStoppedAt).isEqualTo(primary.replicator.lastSequence());
            }
            // The standby is gone: far more than one catch-up message of every kind of record goes by.
            mixedTraffic(primary, 2_001, 12_000);
            final long target = primary.replicator.lastSequence();
            assertThat(target - standbyStoppedAt).isGreaterThan(20_000);
            try (Node standby = Node.standby(standbyDir, primary))
            {
                await().atMost(PATIENCE).until(() -> primary.replicator.inSync());
                await().atMost(PATIENCE).until(() -> standby.standby.journaledSequence() == primary.replicator.lastSequence());
                Node.awaitSameBooks(standby, primary);
                received = standby.standby.recordsReceived();
            }
            // It started from its own last record: nothing it already held was sent again.
            assertThat(received).isEqualTo(target - standbyStoppedAt);
        }
        assertIdentical(primaryDir, standbyDir);
    }

    @Test
    void anEmptyStandbyCatchesUpAJournalOfEveryKindOfRecordByteForByte() throws Exception
    {
        final Path primaryDir = temp.resolve("primary");
        final Path standbyDir = temp.resolve("standby");
        try (Node primary = Node.primary(primaryDir, Node.primaryConfig(ReplicationMode.SYNC)))
        {
            createSales(primary);
            mixedTraffic(primary, 1, 8_000);
            try (Node standby = Node.standby(standbyDir, primary))
            {
                await().atMost(PATIENCE).until(() -> primary.replicator.inSync());
                // Live after the catch-up, acknowledged before each reply.
                mixedTraffic(primary, 8_001, 9_000);
                assertThat(standby.standby.journaledSequence()).isEqualTo(primary.replicator.lastSequence());
                Node.awaitSameBooks(standby, primary);
            }
        }
        assertIdentical(primaryDir, standbyDir);
    }

    @Test
    void aStandbyWhoseJournalIsAnotherHistoryIsRefusedAtItsLastRecordNotAppendedTo() throws Exception
    {
        final Path primaryDir = temp.resolve("primary");
        final Path standbyDir = temp.resolve("standby");
        // Another primary's journal, as long as the start of this one and in the same epoch: only its records differ.
        try (Node other = Node.primary(standbyDir, Node.primaryConfig(ReplicationMode.ASYNC)))
        {
            createSales(other);
            mixedTraffic(other, 1, 100);
        }
        final List<byte[]> before = Node.records(standbyDir);
        try (Node primary = Node.primary(primaryDir, Node.primaryConfig(ReplicationMode.SYNC)))
        {
            createSales(primary);
            mixedTraffic(primary, 1, 1_000);
            try (Node standby = Node.standby(standbyDir, primary))
            {
                await().atMost(PATIENCE).until(() -> standby.standby.refusal() != null);
                assertThat(standby.standby.refusal()).contains("record " + before.size()).contains("not this primary's history");
                assertThat(primary.primary.lastRefusal()).contains("not this primary's history");
                assertThat(standby.standby.joined()).isFalse();
                assertThat(primary.replicator.standbyState()).isEqualTo("none");
            }
        }
        assertThat(Node.records(standbyDir)).hasSameSizeAs(before);
    }

    @Test
    void journalDiffFindsTheFirstRecordThatDiffers() throws Exception
    {
        final Path left = temp.resolve("left");
        final Path right = temp.resolve("right");
        // Two journals of the same commands, written a moment apart: the records' timestamps differ.
        for (final Path directory : List.of(left, right))
        {
            try (Node node = Node.primary(directory, Node.primaryConfig(ReplicationMode.ASYNC)))
            {
                Thread.sleep(5);
                assertThat(node.createSale(10).get(30, TimeUnit.SECONDS)).isEqualTo(Outcome.SALE_CREATED);
            }
        }
        final JournalDiff.Result diff = diff(left, right);
        assertThat(diff.identical()).isFalse();
        assertThat(diff.firstDifference()).isEqualTo(1);
        assertThat(diff(left, left).identical()).isTrue();
    }

    private void createSales(final Node primary) throws Exception
    {
        assertThat(primary.createSale(15_000).get(30, TimeUnit.SECONDS)).isEqualTo(Outcome.SALE_CREATED);
        final CompletableFuture<long[]> second = new CompletableFuture<>();
        final long now = System.currentTimeMillis();
        primary.pipeline.createSale("a second sale, named at some length: ünïcödé", 50, now - 1, now + 3_600_000, 2, 600_000, listener, second);
        assertThat(Outcome.values()[(int)second.get(30, TimeUnit.SECONDS)[0]]).isEqualTo(Outcome.SALE_CREATED);
    }

    /**
     * For each shopper: a purchase in the first sale (with the shopper's subject), every third one
     * paid, every fifth cancelled, and a purchase in the second, small sale, which soon refuses.
     */
    private void mixedTraffic(final Node primary, final int fromUser, final int toUser) throws Exception
    {
        final CommandPipeline pipeline = primary.pipeline;
        final List<CompletableFuture<long[]>> purchases = new ArrayList<>();
        for (int user = fromUser; user <= toUser; user++)
        {
            final CompletableFuture<long[]> first = new CompletableFuture<>();
            final int u = user;
            publish(() -> pipeline.purchase(1, u, "shopper-" + u, 1, u, listener, first));
            purchases.add(first);
            final CompletableFuture<long[]> second = new CompletableFuture<>();
            publish(() -> pipeline.purchase(2, u, null, 1, 0, listener, second));
            purchases.add(second);
        }
        final List<CompletableFuture<long[]>> follow = new ArrayList<>();
        for (int i = 0; i < purchases.size(); i += 2)
        {
            final long[] reply = purchases.get(i).get(60, TimeUnit.SECONDS);
            assertThat(Outcome.values()[(int)reply[0]]).isIn(Outcome.RESERVED, Outcome.SOLD_OUT);
            final long user = fromUser + i / 2;
            if (Outcome.values()[(int)reply[0]] == Outcome.RESERVED && user % 3 == 0)
            {
                final CompletableFuture<long[]> paid = new CompletableFuture<>();
                publish(() -> pipeline.pay(reply[1], user, "pay-" + user, listener, paid));
                follow.add(paid);
            }
            else if (Outcome.values()[(int)reply[0]] == Outcome.RESERVED && user % 5 == 0)
            {
                final CompletableFuture<long[]> cancelled = new CompletableFuture<>();
                publish(() -> pipeline.cancel(reply[1], user, listener, cancelled));
                follow.add(cancelled);
            }
            purchases.get(i + 1).get(60, TimeUnit.SECONDS);
        }
        for (final CompletableFuture<long[]> reply : follow)
        {
            assertThat(Outcome.values()[(int)reply.get(60, TimeUnit.SECONDS)[0]]).isIn(Outcome.PAID, Outcome.CANCELLED);
        }
    }

    private static void publish(final java.util.function.Supplier<Outcome> command)
    {
        Outcome accepted;
        while ((accepted = command.get()) == Outcome.BUSY)
        {
            Thread.onSpinWait();
        }
        assertThat(accepted).isEqualTo(Outcome.PENDING);
    }

    private static void assertIdentical(final Path primaryDir, final Path standbyDir) throws java.io.IOException
    {
        final JournalDiff.Result diff = diff(primaryDir, standbyDir);
        assertThat(diff.identical()).as("%s", diff).isTrue();
        assertThat(diff.records()).isGreaterThan(20_000);
    }

    private static JournalDiff.Result diff(final Path left, final Path right) throws java.io.IOException
    {
        try (SingleChronicleQueue a = JournalQueues.openForReading(new JournalConfig(left).queueDirectory());
             SingleChronicleQueue b = JournalQueues.openForReading(new JournalConfig(right).queueDirectory()))
        {
            return JournalDiff.compare(new JournalReader(a), new JournalReader(b));
        }
    }
}
