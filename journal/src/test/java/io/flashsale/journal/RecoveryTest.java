package io.flashsale.journal;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.journal.JournalCorruptException.Kind;
import io.flashsale.journal.cli.JournalCli;
import io.flashsale.journal.process.ChildJava;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RecoveryTest
{
    @TempDir
    Path dir;

    /** For copies of {@link #dir}. */
    @TempDir
    Path scratch;

    private final AtomicLong clock = new AtomicLong(Harness.T0);

    private JournalConfig config()
    {
        return new JournalConfig(dir).snapshotEveryCommands(0).snapshotEverySeconds(0);
    }

    private long hashAfterOpen(final JournalConfig config)
    {
        try (DurableEngine durable = DurableEngine.open(config))
        {
            return EngineSnapshot.stateHash(durable.engine());
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void aRestartRebuildsTheSameStateFromTheJournal(final SyncPolicy sync)
    {
        final JournalConfig config = config().sync(sync);
        final int journaled;
        final long hash;
        try (Harness harness = Harness.open(config, clock))
        {
            assertThat(harness.durable.recovery().lastSequence()).isZero();
            journaled = new Workload(harness, 1).withSales(2, 40).run(600);
            hash = harness.closeAndHash();
        }

        try (Harness again = Harness.open(config, clock))
        {
            final RecoveryReport report = again.durable.recovery();
            assertThat(report.snapshot()).isNull();
            assertThat(report.commandsReplayed()).isEqualTo(journaled);
            assertThat(report.lastSequence()).isEqualTo(journaled);
            assertThat(report.toString()).contains("no snapshot").contains(journaled + " replayed");
            assertThat(EngineSnapshot.stateHash(again.durable.engine())).isEqualTo(hash);
            assertThat(again.durable.engine().appliedCount()).isEqualTo(journaled);

            // The journal goes on from where it was: more commands, another restart, still exact.
            new Workload(again, 2).withSales(1, 10).run(200);
            final long second = again.closeAndHash();
            assertThat(hashAfterOpen(config)).isEqualTo(second);
        }
    }

    @Test
    void aSnapshotMidwayGivesTheSameStateAndOnlyTheRestIsReplayed()
    {
        final JournalConfig config = config();
        final long snapshotAt;
        final int journaled;
        final long hash;
        try (Harness harness = Harness.open(config, clock))
        {
            final Workload workload = new Workload(harness, 3).withSales(2, 30);
            workload.run(300);
            harness.snapshotAndWait();
            snapshotAt = harness.durable.lastSnapshotSequence();
            assertThat(harness.durable.lastSnapshot()).exists();
            journaled = workload.run(300);
            hash = harness.closeAndHash();
        }

        try (DurableEngine durable = DurableEngine.open(config))
        {
            final RecoveryReport report = durable.recovery();
            assertThat(report.snapshot()).isNotNull();
            assertThat(report.snapshotSequence()).isEqualTo(snapshotAt);
            assertThat(report.commandsReplayed()).isEqualTo(journaled - snapshotAt);
            assertThat(EngineSnapshot.stateHash(durable.engine())).isEqualTo(hash);
        }

        // The journal alone gives the same state as snapshot + rest.
        deleteSnapshots();
        assertThat(hashAfterOpen(config)).isEqualTo(hash);
    }

    @Test
    void aCorruptSnapshotFallsBackToThePreviousOne() throws IOException
    {
        final JournalConfig config = config();
        final long olderAt;
        final long hash;
        try (Harness harness = Harness.open(config, clock))
        {
            final Workload workload = new Workload(harness, 4).withSales(2, 30);
            workload.run(200);
            harness.snapshotAndWait();
            olderAt = harness.durable.lastSnapshotSequence();
            workload.run(200);
            harness.snapshotAndWait();
            workload.run(50);
            hash = harness.closeAndHash();
        }
        final List<Path> snapshots = snapshotFiles();
        assertThat(snapshots).hasSize(2);
        final Path newest = snapshots.get(snapshots.size() - 1);
        flipByteOf(newest, Files.size(newest) / 2);

        try (DurableEngine durable = DurableEngine.open(config))
        {
            final RecoveryReport report = durable.recovery();
            assertThat(report.snapshotSequence()).isEqualTo(olderAt);
            assertThat(report.skippedSnapshots()).singleElement().asString()
                .contains(newest.getFileName().toString()).contains("checksum mismatch").contains("quarantine");
            assertThat(EngineSnapshot.stateHash(durable.engine())).isEqualTo(hash);
        }
        assertThat(newest).doesNotExist();
        assertThat(dir.resolve("snapshots/quarantine")).isNotEmptyDirectory();
    }

    @Test
    void aTornTailWasNeverAcknowledgedSoRecoveryCutsItWithoutAnOperatorKeepsItsBytesAndSaysSo() throws Exception
    {
        final JournalConfig config = config();
        final int journaled;
        final long hash;
        try (Harness harness = Harness.open(config, clock))
        {
            journaled = new Workload(harness, 5).withSales(1, 20).run(100);
            hash = harness.closeAndHash();
        }
        assertThat(ChildJava.run(List.of("-Xmx512m"), TornWriteChild.class, config.queueDirectory().toString(), String.valueOf(journaled + 1))).isEqualTo(137);

        try (Harness harness = Harness.open(config, clock))
        {
            final RecoveryReport report = harness.durable.recovery();
            assertThat(report.truncated()).contains("cut an unfinished write after index 0x")
                .contains("sequence " + (journaled + 1) + ", never acknowledged").contains("quarantine");
            assertThat(report.lastSequence()).isEqualTo(journaled);
            assertThat(EngineSnapshot.stateHash(harness.durable.engine())).isEqualTo(hash);
            final Reply created = harness.createSale("after the tear", 5, 1, 1_000);
            assertThat(created.outcome()).isEqualTo(Outcome.SALE_CREATED);
            assertThat(harness.purchase(created.saleId(), 7, 1, 0).outcome()).isEqualTo(Outcome.RESERVED);
        }
        try (Stream<Path> kept = Files.list(dir.resolve("quarantine")))
        {
            assertThat(kept.toList()).singleElement().satisfies(copy -> {
                assertThat(copy.getFileName().toString()).contains(".cq4.torn-at-");
                assertThat(Files.size(copy)).isPositive();
            });
        }
        try (DurableEngine clean = DurableEngine.open(config))
        {
            assertThat(clean.recovery().lastSequence()).isEqualTo(journaled + 2);
            assertThat(clean.recovery().truncated()).isNull();
        }
    }

    @Test
    void aCorruptLastRecordIsRefusedWithItsIndexAndCutWhenTold() throws IOException
    {
        final JournalConfig config = config();
        final int journaled;
        try (Harness harness = Harness.open(config, clock))
        {
            journaled = new Workload(harness, 6).withSales(1, 20).run(100);
            harness.closeAndHash();
        }
        final long expectedHash;
        {
            // The state the journal describes without its last record.
            final Path copy = scratch.resolve("journal-copy");
            copyTree(dir, copy);
            JournalBytes.flipByte(copy.resolve("journal"), journaled, 12);
            try (DurableEngine cut = DurableEngine.open(new JournalConfig(copy).truncateTornTail(true).snapshotEverySeconds(0)))
            {
                expectedHash = EngineSnapshot.stateHash(cut.engine());
                assertThat(cut.engine().appliedCount()).isEqualTo(journaled - 1);
            }
        }
        final JournalBytes.Location damaged = JournalBytes.flipByte(config.queueDirectory(), journaled, 12);

        final JournalCorruptException refused = catchThrowableOfType(JournalCorruptException.class, () -> DurableEngine.open(config));
        assertThat(refused.kind()).isEqualTo(Kind.CORRUPT_RECORD);
        assertThat(refused.sequence()).isEqualTo(journaled);
        assertThat(refused.chronicleIndex()).isEqualTo(damaged.index());
        assertThat(refused.truncatable()).isTrue();
        assertThat(refused.getMessage()).contains("checksum mismatch").contains(Long.toHexString(damaged.index()));

        try (Harness harness = Harness.open(config().truncateTornTail(true), clock))
        {
            final RecoveryReport report = harness.durable.recovery();
            assertThat(report.truncated()).contains("cut the journal after sequence " + (journaled - 1));
            assertThat(report.lastSequence()).isEqualTo(journaled - 1);
            assertThat(EngineSnapshot.stateHash(harness.durable.engine())).isEqualTo(expectedHash);
            harness.createSale("after the cut", 5, 1, 1_000);
        }
        assertThat(dir.resolve("quarantine")).isNotEmptyDirectory();
        try (DurableEngine clean = DurableEngine.open(config))
        {
            assertThat(clean.recovery().lastSequence()).isEqualTo(journaled);
        }
    }

    @Test
    void aCorruptRecordInTheMiddleIsRefusedEvenWithTruncation() throws IOException
    {
        final JournalConfig config = config();
        try (Harness harness = Harness.open(config, clock))
        {
            new Workload(harness, 7).withSales(1, 20).run(100);
            harness.closeAndHash();
        }
        JournalBytes.flipByte(config.queueDirectory(), 40, CommandCodecOffsets.TIMESTAMP);

        for (final JournalConfig attempt : new JournalConfig[] {config, config().truncateTornTail(true)})
        {
            final JournalCorruptException refused = catchThrowableOfType(JournalCorruptException.class, () -> DurableEngine.open(attempt));
            assertThat(refused.kind()).isEqualTo(Kind.CORRUPT_RECORD);
            assertThat(refused.sequence()).isEqualTo(40);
            assertThat(refused.truncatable()).isFalse();
            assertThat(refused.getMessage()).contains("sound records follow it");
        }
    }

    @Test
    void aJournalThatEndsBeforeItsSnapshotIsRefused() throws IOException
    {
        final JournalConfig config = config();
        final Path shortCopy = scratch.resolve("short-journal");
        try (Harness harness = Harness.open(config, clock))
        {
            final Workload workload = new Workload(harness, 8).withSales(1, 20);
            workload.run(50);
            harness.pipeline.close();
            harness.durable.close();
        }
        copyTree(dir, shortCopy);
        try (Harness harness = Harness.open(config, clock))
        {
            new Workload(harness, 9).withSales(1, 20).run(50);
            harness.snapshotAndWait();
        }
        copyTree(dir.resolve("snapshots"), shortCopy.resolve("snapshots"));

        final JournalConfig shortConfig = new JournalConfig(shortCopy).snapshotEverySeconds(0);
        final JournalCorruptException refused = catchThrowableOfType(JournalCorruptException.class, () -> DurableEngine.open(shortConfig));
        assertThat(refused.kind()).isEqualTo(Kind.JOURNAL_BEHIND_SNAPSHOT);
        assertThat(refused.getMessage()).contains("missing from the journal");

        try (DurableEngine durable = DurableEngine.open(shortConfig.truncateTornTail(true)))
        {
            assertThat(durable.recovery().truncated()).contains("ahead of the journal");
            assertThat(durable.recovery().snapshot()).isNull();
        }
    }

    @Test
    void aCommandTheEngineThrowsOnStopsTheStartWithItsSequenceIndexAndTheCommand()
    {
        final JournalConfig config = config();
        try (Harness harness = Harness.open(config, clock))
        {
            harness.createSale("poison", 10, 2, 60_000);
            harness.purchase(1, 7, 1, 0);
            harness.purchase(1, 666, 1, 0);
            harness.purchase(1, 8, 1, 0);
        }
        final BiConsumer<SaleEngine, CommandEvent> buggyEngine = (engine, command) ->
        {
            if (command.type == CommandType.PURCHASE && command.userId == 666)
            {
                throw new IllegalStateException("injected engine bug");
            }
            engine.apply(command);
        };

        final PoisonCommandException poison =
            catchThrowableOfType(PoisonCommandException.class, () -> Recovery.run(config, new SaleViews(), buggyEngine));

        assertThat(poison.sequence()).isEqualTo(3);
        assertThat(poison.command()).startsWith("PURCHASE sale=1 user=666 qty=1");
        assertThat(poison.getCause()).hasMessage("injected engine bug");
        assertThat(poison.getMessage()).contains("POISON_COMMAND", "sequence 3", "--from 3 --to 3", poison.command());
        // The operator's tool shows the same command at the same index.
        final StringWriter out = new StringWriter();
        final int exit = JournalCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(new StringWriter(), true))
            .execute("dump", "--journal", dir.toString(), "--from", "3", "--to", "3", "--no-progress");
        assertThat(exit).isZero();
        assertThat(out.toString().strip()).contains("\"seq\":3", "\"userId\":666",
            "\"index\":\"0x" + Long.toHexString(poison.chronicleIndex()) + "\"");
        // The journal is left as it was: an engine without the bug recovers every command.
        try (DurableEngine durable = DurableEngine.open(config))
        {
            assertThat(durable.recovery().lastSequence()).isEqualTo(4);
        }
    }

    @Test
    void aCycleFileWithADamagedHeaderStopsTheStartWithAClearError() throws IOException
    {
        Files.createDirectories(dir.resolve("journal"));
        Files.write(dir.resolve("journal/20260101F.cq4"), "not a queue file".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> DurableEngine.open(config()))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("cannot open the journal in " + dir)
            .hasMessageContaining("magic");
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void noReplyGoesOutBeforeItsCommandIsDurableInTheJournal(final SyncPolicy sync)
    {
        final JournalConfig config = config().sync(sync);
        final AtomicLong journaledReplies = new AtomicLong();
        final AtomicLong violations = new AtomicLong();
        final DurableEngine[] durable = new DurableEngine[1];
        try (Harness harness = Harness.open(config, clock, event ->
        {
            if (event.type.isJournaled())
            {
                final long mustHave = journaledReplies.incrementAndGet();
                final io.flashsale.journal.queue.JournalWriter writer = (io.flashsale.journal.queue.JournalWriter)durable[0].journalPort();
                if (writer.durableSequence() < mustHave)
                {
                    violations.incrementAndGet();
                }
            }
        }))
        {
            durable[0] = harness.durable;
            new Workload(harness, 10).withSales(2, 50).run(400);
            final io.flashsale.journal.queue.JournalWriter writer = (io.flashsale.journal.queue.JournalWriter)harness.durable.journalPort();
            if (sync == SyncPolicy.BATCH)
            {
                assertThat(writer.syncCount()).isPositive().isLessThanOrEqualTo(writer.appendedSequence());
            }
            else
            {
                assertThat(writer.syncCount()).isZero();
            }
        }
        assertThat(journaledReplies.get()).isPositive();
        assertThat(violations.get()).isZero();
    }

    @Test
    void snapshotsArePublishedOnScheduleAndOldOnesPruned()
    {
        final JournalConfig config = config().snapshotEveryCommands(100).keepSnapshots(2);
        try (Harness harness = Harness.open(config, clock))
        {
            final Workload workload = new Workload(harness, 11).withSales(2, 100);
            for (int i = 0; i < 10; i++)
            {
                workload.run(120);
                sleep(120); // the scheduler polls every 50 ms
            }
            final long deadline = System.currentTimeMillis() + 10_000;
            while (harness.durable.lastSnapshotSequence() < 500 && System.currentTimeMillis() < deadline)
            {
                sleep(20);
            }
            assertThat(harness.durable.lastSnapshotSequence()).isGreaterThanOrEqualTo(500);
        }
        assertThat(snapshotFiles()).hasSize(2);
        try (DurableEngine durable = DurableEngine.open(config))
        {
            assertThat(durable.recovery().snapshot()).isNotNull();
        }
    }

    @Test
    void anOrderAcknowledgedBeforeAStopIsThereAfterIt()
    {
        final JournalConfig config = config();
        final Reply reserved;
        final Reply paid;
        try (Harness harness = Harness.open(config, clock))
        {
            final long sale = harness.createSale("one", 10, 2, 60_000).saleId();
            reserved = harness.purchase(sale, 11, 1, 77);
            paid = harness.purchase(sale, 12, 2, 0);
            assertThat(harness.pay(paid.orderId(), 12, "card-1").outcome()).isEqualTo(Outcome.PAID);
        }
        try (Harness harness = Harness.open(config, clock))
        {
            final Reply first = harness.query(reserved.orderId(), 11);
            assertThat(first.state()).isEqualTo(OrderState.RESERVED);
            assertThat(first.qty()).isEqualTo(1);
            assertThat(harness.query(paid.orderId(), 12).state()).isEqualTo(OrderState.PAID);
            // The idempotency key survived too: the same purchase answers DUPLICATE with the same order.
            final Reply again = harness.purchase(reserved.saleId(), 11, 1, 77);
            assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(again.orderId()).isEqualTo(reserved.orderId());
        }
    }

    /**
     * The engine moves its clock (and expires orders) on every command, journaled or not, so a
     * query with a later timestamp changes state that no journal record describes: after a
     * restart the clock and the expired orders differ, and a purchase that the live engine could
     * serve from expired units may be refused on replay. Enable when the engine advances its
     * clock on journaled commands only (see the journal report).
     */
    @Test
    void aQueryChangesNothingThatARestartWouldLose()
    {
        final JournalConfig config = config();
        final long hash;
        try (Harness harness = Harness.open(config, clock))
        {
            final long sale = harness.createSale("clock", 1, 1, 1_000).saleId();
            final Reply reserved = harness.purchase(sale, 5, 1, 0);
            clock.addAndGet(5_000);
            harness.query(reserved.orderId(), 5);
            hash = harness.closeAndHash();
        }
        assertThat(hashAfterOpen(config)).isEqualTo(hash);
    }

    // ---- helpers

    /** Offsets inside a record, for aiming damage. */
    static final class CommandCodecOffsets
    {
        static final int TIMESTAMP = 22;
    }

    private List<Path> snapshotFiles()
    {
        try (Stream<Path> files = Files.list(dir.resolve("snapshots")))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".snap")).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void deleteSnapshots()
    {
        for (final Path file : snapshotFiles())
        {
            try
            {
                Files.delete(file);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private static void flipByteOf(final Path file, final long offset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte)~one.get(0)).rewind();
            channel.write(one, offset);
        }
    }

    static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path source : paths.toList())
            {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
