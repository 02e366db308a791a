package io.flashsale.journal.replication;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.JournalPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A primary and a standby in one JVM over real Aeron on 127.0.0.1, each with its own Chronicle journal. */
class ReplicationTest
{
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void standbyJournalsTheSameRecordsAndReachesTheSameBooks() throws Exception
    {
        final Path primaryDir = temp.resolve("primary");
        final Path standbyDir = temp.resolve("standby");
        try (Node primary = Node.primary(primaryDir, Node.primaryConfig(ReplicationMode.SYNC));
             Node standby = Node.standby(standbyDir, primary))
        {
            assertThat(primary.createSale(5_000).get(30, TimeUnit.SECONDS)).isEqualTo(Outcome.SALE_CREATED);
            awaitInSync(primary);
            final List<CompletableFuture<Outcome>> replies = new ArrayList<>();
            for (int user = 1; user <= 3_000; user++)
            {
                replies.add(primary.purchase(user, 1 + user % 3));
            }
            for (final CompletableFuture<Outcome> reply : replies)
            {
                assertThat(reply.get(60, TimeUnit.SECONDS)).isIn(Outcome.RESERVED, Outcome.SOLD_OUT);
            }
            // Sync: every answered purchase was acknowledged, so the standby has journaled all of it.
            assertThat(standby.standby.journaledSequence()).isEqualTo(primary.replicator.lastSequence());
            Node.awaitSameBooks(standby, primary);
        }
        assertThat(Node.records(primaryDir)).hasSize(3_001);
        assertSameRecords(primaryDir, standbyDir);
    }

    @Test
    void emptyStandbyCatchesUpFromThePrimarysJournalThenFollowsLive() throws Exception
    {
        final Path primaryDir = temp.resolve("primary");
        final Path standbyDir = temp.resolve("standby");
        try (Node primary = Node.primary(primaryDir, Node.primaryConfig(ReplicationMode.SYNC)))
        {
            primary.createSale(1_000_000).get(30, TimeUnit.SECONDS);
            purchaseAll(primary, 1, 20_000);
            assertThat(primary.replicator.standbyState()).isEqualTo("none");
            try (Node standby = Node.standby(standbyDir, primary))
            {
                awaitInSync(primary);
                purchaseAll(primary, 20_001, 21_000);
                await().atMost(PATIENCE).until(() -> standby.standby.journaledSequence() == primary.replicator.lastSequence());
                Node.awaitSameBooks(standby, primary);
            }
        }
        assertSameRecords(primaryDir, standbyDir);
    }

    @Test
    void syncReplyWaitsForTheStandbysAcknowledgementAndAStandbyLostStallsThePrimary() throws Exception
    {
        final CountDownLatch journalOpen = new CountDownLatch(1);
        final CountDownLatch blocking = new CountDownLatch(1);
        try (Node primary = Node.primary(temp.resolve("primary"), Node.primaryConfig(ReplicationMode.SYNC)))
        {
            primary.createSale(100).get(30, TimeUnit.SECONDS);
            final Node standby = Node.standby(temp.resolve("standby"), primary, Node.SECRET, port -> gated(port, journalOpen, blocking));
            try
            {
                journalOpen.countDown();
                awaitInSync(primary);
                // The standby's journal stops: it receives but cannot journal, so it does not acknowledge.
                final CountDownLatch release = new CountDownLatch(1);
                gate = release;
                final CompletableFuture<Outcome> held = primary.purchase(7, 1);
                blocking.await(30, TimeUnit.SECONDS);
                Thread.sleep(500);
                assertThat(held).as("no reply before the standby acknowledged").isNotDone();
                release.countDown();
                assertThat(held.get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.RESERVED);
            }
            finally
            {
                standby.close();
            }
            // The standby is gone: the sync primary stalls rather than acknowledge alone.
            await().atMost(PATIENCE).until(primary.replicator::stalled);
            assertThat(primary.purchase(8, 1).get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.NOT_REPLICATED);
        }
    }

    @Test
    void asyncRepliesDoNotWaitAndTheLagIsReported() throws Exception
    {
        final CountDownLatch journalOpen = new CountDownLatch(1);
        final CountDownLatch blocking = new CountDownLatch(1);
        try (Node primary = Node.primary(temp.resolve("primary"), Node.primaryConfig(ReplicationMode.ASYNC)))
        {
            primary.createSale(100).get(30, TimeUnit.SECONDS);
            final Node standby = Node.standby(temp.resolve("standby"), primary, Node.SECRET, port -> gated(port, journalOpen, blocking));
            try
            {
                journalOpen.countDown();
                awaitInSync(primary);
                final CountDownLatch release = new CountDownLatch(1);
                gate = release;
                assertThat(primary.purchase(7, 1).get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.RESERVED);
                assertThat(primary.purchase(8, 1).get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.RESERVED);
                blocking.await(30, TimeUnit.SECONDS);
                assertThat(primary.replicator.lagCommands()).isGreaterThanOrEqualTo(1);
                release.countDown();
                await().atMost(PATIENCE).until(() -> primary.replicator.lagCommands() == 0);
            }
            finally
            {
                standby.close();
            }
            await().atMost(PATIENCE).until(() -> primary.replicator.standbyState().equals("none"));
            assertThat(primary.replicator.stalled()).isFalse();
            assertThat(primary.purchase(9, 1).get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.RESERVED);
        }
    }

    @Test
    void aStandbyWithoutTheSecretIsNotAdmitted() throws Exception
    {
        try (Node primary = Node.primary(temp.resolve("primary"), Node.primaryConfig(ReplicationMode.SYNC));
             Node impostor = Node.standby(temp.resolve("impostor"), primary, "not-the-secret".getBytes(), p -> p))
        {
            primary.createSale(100).get(30, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(() -> primary.primary.joinsRejected() > 0);
            assertThat(primary.replicator.standbyState()).isEqualTo("none");
            assertThat(impostor.standby.joined()).isFalse();
            assertThat(primary.purchase(1, 1).get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.RESERVED);
            assertThat(impostor.standby.recordsReceived()).isZero();
        }
    }

    @Test
    void aPrimaryOfAnOlderEpochRefusesAStandbyThatHasSeenANewerOne() throws Exception
    {
        final Path standbyDir = temp.resolve("standby");
        java.nio.file.Files.createDirectories(standbyDir);
        EpochHistory.load(standbyDir).begin(2, 1);
        try (Node primary = Node.primary(temp.resolve("primary"), Node.primaryConfig(ReplicationMode.SYNC));
             Node standby = Node.standby(standbyDir, primary))
        {
            await().atMost(PATIENCE).until(() -> standby.standby.refusal() != null);
            assertThat(standby.standby.refusal()).contains("epoch 2").contains("superseded");
            assertThat(primary.primary.lastRefusal()).contains("superseded");
            assertThat(standby.standby.joined()).isFalse();
            assertThat(primary.replicator.standbyState()).isEqualTo("none");
        }
    }

    @Test
    void aStandbyTakesOnTheNewerEpochOfThePrimaryItJoins() throws Exception
    {
        final Path primaryDir = temp.resolve("primary");
        java.nio.file.Files.createDirectories(primaryDir);
        EpochHistory.load(primaryDir).begin(3, 1);
        final Path standbyDir = temp.resolve("standby");
        try (Node primary = Node.primary(primaryDir, Node.primaryConfig(ReplicationMode.SYNC));
             Node standby = Node.standby(standbyDir, primary))
        {
            awaitInSync(primary);
            assertThat(standby.standby.epoch()).isEqualTo(3);
        }
        assertThat(EpochHistory.load(standbyDir).current()).isEqualTo(3);
    }

    @Test
    void anOldPrimaryRejoiningSetsItsUnacknowledgedTailAsideAndFollowsTheNewEpoch() throws Exception
    {
        final Path a = temp.resolve("a");
        final Path b = temp.resolve("b");
        final long promotedAfter;
        try (Node primary = Node.primary(a, Node.primaryConfig(ReplicationMode.SYNC)))
        {
            primary.createSale(1_000).get(30, TimeUnit.SECONDS);
            try (Node standby = Node.standby(b, primary))
            {
                awaitInSync(primary);
                purchaseAll(primary, 1, 100);
                promotedAfter = standby.standby.journaledSequence();
            }
            // Cut off from its standby, the sync primary journals what it can no longer acknowledge: its tail.
            await().atMost(PATIENCE).until(primary.replicator::stalled);
            for (int user = 101; user <= 110; user++)
            {
                assertThat(primary.purchase(user, 1).get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.NOT_REPLICATED);
            }
        }
        assertThat(Node.records(a).size()).isGreaterThan((int)promotedAfter);
        // b is promoted: epoch 2 from the next sequence; it takes purchases of its own.
        EpochHistory.load(b).begin(2, promotedAfter + 1);
        try (Node promoted = Node.primary(b, Node.primaryConfig(ReplicationMode.SYNC)))
        {
            purchaseAll(promoted, 201, 220);
            try (Node old = Node.standby(a, promoted))
            {
                await().atMost(PATIENCE).until(() -> old.diverged >= 0);
                assertThat(old.diverged).isEqualTo(promotedAfter);
                assertThat(old.standby.joined()).isFalse();
                TailQuarantine.mark(a, old.diverged);
            }
            assertThat(TailQuarantine.applyIfMarked(new io.flashsale.journal.JournalConfig(a))).contains("set aside sequences " + (promotedAfter + 1));
            assertThat(java.nio.file.Files.list(a.resolve("quarantine")).count()).isPositive();
            try (Node old = Node.standby(a, promoted))
            {
                awaitInSync(promoted);
                purchaseAll(promoted, 221, 230);
                await().atMost(PATIENCE).until(() -> old.standby.journaledSequence() == promoted.replicator.lastSequence());
                assertThat(old.standby.epoch()).isEqualTo(2);
                Node.awaitSameBooks(old, promoted);
            }
        }
        assertSameRecords(b, a);
    }

    /** Set by a test: the standby's journal waits on it (once it is set) before each append. */
    private static volatile CountDownLatch gate;

    private static JournalPort gated(final JournalPort port, final CountDownLatch open, final CountDownLatch blocking)
    {
        return new JournalPort()
        {
            @Override
            public void append(final io.flashsale.engine.command.CommandEvent command) throws Exception
            {
                open.await();
                final CountDownLatch g = gate;
                if (g != null)
                {
                    blocking.countDown();
                    g.await();
                }
                port.append(command);
            }

            @Override
            public void endOfBatch() throws Exception
            {
                port.endOfBatch();
            }
        };
    }

    private static void awaitInSync(final Node primary)
    {
        await().atMost(PATIENCE).until(() -> primary.replicator.inSync());
    }

    private static void purchaseAll(final Node primary, final int fromUser, final int toUser) throws Exception
    {
        final List<CompletableFuture<Outcome>> replies = new ArrayList<>();
        for (int user = fromUser; user <= toUser; user++)
        {
            replies.add(primary.purchase(user, 1));
        }
        for (final CompletableFuture<Outcome> reply : replies)
        {
            assertThat(reply.get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.RESERVED);
        }
    }

    private static void assertSameRecords(final Path primaryDir, final Path standbyDir) throws Exception
    {
        final List<byte[]> primary = Node.records(primaryDir);
        final List<byte[]> standby = Node.records(standbyDir);
        assertThat(standby).hasSameSizeAs(primary);
        for (int i = 0; i < primary.size(); i++)
        {
            assertThat(standby.get(i)).as("record %d", i + 1).isEqualTo(primary.get(i));
        }
    }
}
