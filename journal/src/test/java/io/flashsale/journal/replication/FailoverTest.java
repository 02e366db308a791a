package io.flashsale.journal.replication;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.JournalPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When a standby asks to be promoted (real Aeron on 127.0.0.1, a Chronicle journal each): after
 * its primary's silence only when it was in sync, at once when its primary steps down because its
 * ring failed, and never when automatic promotion is off.
 */
class FailoverTest
{
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void aStandbyInSyncAsksToBePromotedWhenItsPrimaryFallsSilent() throws Exception
    {
        try (Node primary = Node.primary(temp.resolve("primary"), Node.primaryConfig(ReplicationMode.SYNC));
             Node standby = Node.standby(temp.resolve("standby"), primary, failoverAfter(300), UnaryOperator.identity()))
        {
            primary.createSale(10_000).get(30, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(primary.replicator::inSync);
            purchaseAll(primary, 1, 500);
            await().atMost(PATIENCE).until(standby.standby::inSync);
            final long acknowledged = primary.replicator.lastSequence();
            assertThat(standby.failovers).isEmpty();

            primary.close();

            await().atMost(PATIENCE).until(() -> !standby.failovers.isEmpty());
            assertThat(standby.failovers).hasSize(1);
            assertThat(standby.failovers.get(0)).contains("silent for 300 ms");
            assertThat(standby.standby.failoverDeclined()).isNull();
            // Sync: every purchase answered above is here.
            await().atMost(PATIENCE).until(() -> standby.standby.journaledSequence() >= acknowledged);
        }
    }

    @Test
    void aStandbyStillCatchingUpDoesNotPromoteItselfAndSaysWhy() throws Exception
    {
        final CountDownLatch journalOpen = new CountDownLatch(1);
        final Node primary = Node.primary(temp.resolve("primary"), Node.primaryConfig(ReplicationMode.SYNC));
        final Node standby;
        try (primary)
        {
            primary.createSale(1_000_000).get(30, TimeUnit.SECONDS);
            // More than the standby's ring and its link's window hold: its catch-up cannot finish while its journal waits.
            purchaseAll(primary, 1, 30_000);
            standby = Node.standby(temp.resolve("standby"), primary, failoverAfter(300), port -> waitingFor(journalOpen, port));
            await().atMost(PATIENCE).until(standby.standby::joined);
            assertThat(standby.standby.inSync()).isFalse();
        }
        try (standby)
        {
            // The primary is gone mid catch-up; the standby journals what it received, then hears nothing more.
            journalOpen.countDown();
            await().atMost(PATIENCE).until(() -> standby.standby.failoverDeclined() != null);
            assertThat(standby.standby.failoverDeclined()).contains("silent for 300 ms").contains("never reached sync");
            assertThat(standby.standby.inSync()).isFalse();
            assertThat(standby.failovers).isEmpty();
        }
    }

    @Test
    void aPrimaryWhoseJournalFailsStepsDownAndItsStandbyInSyncAsksToBePromotedAtOnce() throws Exception
    {
        final FailingJournal failing = new FailingJournal();
        // Silence alone would take a minute: an ask before that is the step-down's.
        try (Node primary = Node.primary(temp.resolve("primary"), Node.primaryConfig(ReplicationMode.SYNC), failing::wrap);
             Node standby = Node.standby(temp.resolve("standby"), primary, failoverAfter(60_000), UnaryOperator.identity()))
        {
            primary.createSale(1_000).get(30, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(primary.replicator::inSync);
            purchaseAll(primary, 1, 100);
            await().atMost(PATIENCE).until(standby.standby::inSync);

            failing.fail = true;
            assertThat(primary.purchase(101, 1).get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.JOURNAL_FAILED);

            await().atMost(PATIENCE).until(() -> !standby.failovers.isEmpty());
            assertThat(standby.failovers.get(0)).contains("STEPPED DOWN").contains("No space left on device");
            assertThat(standby.standby.primaryStepDown()).contains("JOURNAL_FAILED");
            await().atMost(PATIENCE).until(primary.primary::stepDownSettled);
            assertThat(standby.standby.joined()).isTrue();
        }
    }

    @Test
    void withAutomaticPromotionOffAStandbyToldOfTheStepDownWaitsToBePromoted() throws Exception
    {
        final FailingJournal failing = new FailingJournal();
        try (Node primary = Node.primary(temp.resolve("primary"), Node.primaryConfig(ReplicationMode.SYNC), failing::wrap);
             Node standby = Node.standby(temp.resolve("standby"), primary, failoverAfter(0), UnaryOperator.identity()))
        {
            primary.createSale(1_000).get(30, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(primary.replicator::inSync);
            purchaseAll(primary, 1, 10);
            failing.fail = true;
            assertThat(primary.purchase(11, 1).get(60, TimeUnit.SECONDS)).isEqualTo(Outcome.JOURNAL_FAILED);

            await().atMost(PATIENCE).until(() -> standby.standby.primaryStepDown() != null);
            await().atMost(PATIENCE).until(primary.primary::stepDownSettled);
            assertThat(standby.standby.inSync()).isTrue();
            assertThat(standby.failovers).isEmpty();
        }
    }

    private static UnaryOperator<ReplicationConfig> failoverAfter(final long millis)
    {
        return config -> config.failoverAfterMillis(millis);
    }

    /** A journal that throws, once told to, as a full disk would. */
    private static final class FailingJournal
    {
        volatile boolean fail;

        JournalPort wrap(final JournalPort real)
        {
            return new JournalPort()
            {
                @Override
                public void append(final CommandEvent command) throws Exception
                {
                    if (fail)
                    {
                        throw new IOException("injected: No space left on device");
                    }
                    real.append(command);
                }

                @Override
                public void endOfBatch() throws Exception
                {
                    real.endOfBatch();
                }
            };
        }
    }

    private static JournalPort waitingFor(final CountDownLatch open, final JournalPort real)
    {
        return new JournalPort()
        {
            @Override
            public void append(final CommandEvent command) throws Exception
            {
                open.await();
                real.append(command);
            }

            @Override
            public void endOfBatch() throws Exception
            {
                real.endOfBatch();
            }
        };
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
}
