package io.flashsale.journal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.TestJournals;
import io.flashsale.journal.audit.HistoryReplay;
import io.flashsale.journal.audit.JournalFolder;
import io.flashsale.journal.codec.CommandCodec;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.snapshot.ByteArrayDataOutput;
import io.flashsale.journal.snapshot.SnapshotStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JournalCliTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    private static Path healthy;
    private static TestJournals.Built built;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildAHealthyJournal() throws IOException
    {
        healthy = shared.resolve("healthy");
        built = TestJournals.build(healthy, 21, 2, 500, true);
    }

    @Test
    void verifyPassesOnAHealthyJournalAndChecksItsSnapshot()
    {
        final CliRun run = CliRun.of("verify", "--journal", healthy.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("OK: " + built.journaled() + " commands").contains("1 snapshot(s) match the replay");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void verifyAcceptsTheJournalFolderItselfToo()
    {
        final CliRun run = CliRun.of("verify", "--journal", healthy.resolve("journal").toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void verifyReportsACorruptRecordWithItsSequenceAndIndex() throws IOException
    {
        TestJournals.copyTree(healthy, dir);
        final var damaged = TestJournals.flipByte(dir.resolve("journal"), 30, 40);
        final CliRun run = CliRun.of("verify", "--journal", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("VIOLATION at sequence 30").contains(Long.toHexString(damaged.index())).contains("checksum mismatch");
    }

    @Test
    void verifyReportsASequenceGap() throws IOException
    {
        writeRawJournal(dir.resolve("journal"), 1, 2, 4);
        final CliRun run = CliRun.of("verify", "--journal", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("VIOLATION at sequence 3").contains("sequence 4 where 3 was expected");
    }

    @Test
    void verifyReportsASnapshotThatDiffersFromTheReplay() throws IOException
    {
        TestJournals.copyTree(healthy, dir);
        // A snapshot whose state is not what the journal says at its sequence: one unit too many available.
        try (HistoryReplay history = HistoryReplay.open(JournalFolder.resolve(dir)))
        {
            history.replay((sequence, index, command, engine) -> sequence < 100, done -> { });
            final SaleEngine engine = history.engine();
            engine.sale(1).available++;
            final ByteArrayDataOutput state = new ByteArrayDataOutput(1 << 16);
            EngineSnapshot.write(engine, state);
            new SnapshotStore(dir.resolve("snapshots")).write(state.array(), state.length(), 100, engine.now());
        }
        final CliRun run = CliRun.of("verify", "--journal", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("VIOLATION at sequence 100").contains("differs from the state replayed");
    }

    @Test
    void verifyWarnsAboutAnUnfinishedWriteAtTheEnd() throws Exception
    {
        TestJournals.copyTree(healthy, dir);
        TestJournals.tornWrite(dir.resolve("journal"), built.journaled() + 1);
        final CliRun run = CliRun.of("verify", "--journal", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("warning: the journal ends in an unfinished write after sequence " + built.journaled());
    }

    @Test
    void statsGivesPerSaleFiguresAsJson() throws IOException
    {
        final CliRun run = CliRun.of("stats", "--journal", healthy.toString(), "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        final JsonNode stats = JSON.readTree(run.out());
        assertThat(stats.at("/journal/commands").asLong()).isEqualTo(built.journaled());
        assertThat(stats.get("sales")).hasSize(2);
        try (DurableEngine durable = DurableEngine.open(new JournalConfig(healthy).snapshotEverySeconds(0)))
        {
            for (final JsonNode sale : stats.get("sales"))
            {
                final var engineSale = durable.engine().sale(sale.get("id").asLong());
                assertThat(sale.get("stock").asLong()).isEqualTo(engineSale.stock);
                assertThat(sale.get("paid").asLong()).isEqualTo(engineSale.paidUnits);
                assertThat(sale.get("sold").asLong()).isEqualTo(engineSale.paidUnits + engineSale.reservedUnits);
                assertThat(sale.get("cancelled").asLong()).isEqualTo(engineSale.cancelledUnits);
                assertThat(sale.get("expired").asLong()).isEqualTo(engineSale.expiredUnits);
                assertThat(sale.get("distinctBuyers").asLong()).isEqualTo(engineSale.distinctBuyers).isPositive();
                assertThat(sale.get("commandsPerSecond").asDouble()).isPositive();
                assertThat(sale.get("firstCommandAt").asText()).isLessThan(sale.get("lastCommandAt").asText());
            }
        }
        final CliRun one = CliRun.of("stats", "--journal", healthy.toString(), "--json", "--sale", "2");
        assertThat(JSON.readTree(one.out()).get("sales")).singleElement().satisfies(s -> assertThat(s.get("id").asLong()).isEqualTo(2));
    }

    @Test
    void statsPrintsATableForPeople()
    {
        final CliRun run = CliRun.of("stats", "--journal", healthy.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("sale").contains("buyers").contains("cmds/s");
        assertThat(run.out().lines()).hasSize(2 + 2);
        assertThat(CliRun.of("stats", "--journal", healthy.toString(), "--sale", "9").exitCode()).isEqualTo(2);
    }

    @Test
    void dumpWritesOneJsonObjectPerCommandWithItsOutcome() throws IOException
    {
        final CliRun run = CliRun.of("dump", "--journal", healthy.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        final List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(built.journaled());
        long expected = 1;
        for (final String line : lines)
        {
            final JsonNode command = JSON.readTree(line);
            assertThat(command.get("seq").asLong()).isEqualTo(expected++);
            assertThat(command.get("outcome").asText()).isNotEqualTo("PENDING");
            assertThat(command.get("index").asText()).startsWith("0x");
        }
        assertThat(JSON.readTree(lines.get(0)).get("type").asText()).isEqualTo("CREATE_SALE");
        assertThat(run.out()).contains("\"outcome\":\"RESERVED\"").contains("\"outcome\":\"PAID\"").contains("\"state\":\"PAID\"");
    }

    @Test
    void dumpFiltersBySaleUserAndRange() throws IOException
    {
        final List<JsonNode> range = json(CliRun.of("dump", "--journal", healthy.toString(), "--from", "10", "--to", "20"));
        assertThat(range).hasSize(11);
        assertThat(range.get(0).get("seq").asLong()).isEqualTo(10);

        final List<JsonNode> sale2 = json(CliRun.of("dump", "--journal", healthy.toString(), "--sale", "2"));
        assertThat(sale2).isNotEmpty().allSatisfy(c -> assertThat(
            c.has("saleId") ? c.get("saleId").asLong() : c.has("resultSaleId") ? c.get("resultSaleId").asLong() : c.at("/order/saleId").asLong())
            .isEqualTo(2));

        final List<JsonNode> user = json(CliRun.of("dump", "--journal", healthy.toString(), "--user", "7"));
        assertThat(user).isNotEmpty().allSatisfy(c -> assertThat(c.get("userId").asLong()).isEqualTo(7));

        final List<JsonNode> all = json(CliRun.of("dump", "--journal", healthy.toString()));
        final String middle = all.get(all.size() / 2).get("at").asText();
        final List<JsonNode> byTime = json(CliRun.of("dump", "--journal", healthy.toString(), "--from", middle));
        assertThat(byTime).isNotEmpty().hasSizeLessThan(all.size())
            .allSatisfy(c -> assertThat(c.get("at").asText()).isGreaterThanOrEqualTo(middle));

        assertThat(CliRun.of("dump", "--journal", healthy.toString(), "--from", "yesterday").exitCode()).isEqualTo(2);
    }

    @Test
    void snapshotWritesAFileThatTheNextStartUses() throws IOException
    {
        TestJournals.copyTree(healthy, dir);
        final CliRun run = CliRun.of("snapshot", "--journal", dir.toString(), "--keep", "1");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("covering sequence 1.." + built.journaled());
        assertThat(TestJournals.snapshotNames(dir)).hasSize(1);
        try (DurableEngine durable = DurableEngine.open(new JournalConfig(dir).snapshotEverySeconds(0)))
        {
            assertThat(durable.recovery().snapshotSequence()).isEqualTo(built.journaled());
            assertThat(durable.recovery().commandsReplayed()).isZero();
            assertThat(EngineSnapshot.stateHash(durable.engine())).isEqualTo(built.hash());
        }
    }

    @Test
    void aMissingEmptyOrBrokenFolderGivesAClearErrorAndExitCode2() throws IOException
    {
        final CliRun missing = CliRun.of("verify", "--journal", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such folder");

        final CliRun empty = CliRun.of("stats", "--journal", dir.toString());
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("empty journal");

        final Path broken = dir.resolve("broken/journal");
        Files.createDirectories(broken);
        Files.write(broken.resolve("20260101F.cq4"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        final CliRun garbage = CliRun.of("dump", "--journal", dir.resolve("broken").toString());
        assertThat(garbage.exitCode()).as(garbage.toString()).isEqualTo(2);
        assertThat(garbage.err()).contains("error: unreadable journal in").contains("a queue file is damaged");

        assertThat(CliRun.of().exitCode()).isEqualTo(2);
        assertThat(CliRun.of("verify").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("frobnicate", "--journal", dir.toString()).exitCode()).isEqualTo(2);
        assertThat(CliRun.of("--help").out()).contains("verify").contains("stats").contains("dump").contains("snapshot");
    }

    private static List<JsonNode> json(final CliRun run)
    {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run.out().lines().map(line ->
        {
            try
            {
                return JSON.readTree(line);
            }
            catch (final IOException ex)
            {
                throw new AssertionError(line, ex);
            }
        }).toList();
    }

    /** A journal of ticks with the given sequences, written straight to Chronicle as the writer would. */
    private static void writeRawJournal(final Path queueDir, final long... sequences) throws IOException
    {
        try (SingleChronicleQueue queue = JournalQueues.openForWriting(queueDir, RollCycles.FAST_DAILY);
             ExcerptAppender appender = queue.createAppender())
        {
            final CommandCodec codec = new CommandCodec();
            final CommandEvent tick = new CommandEvent();
            tick.type = CommandType.TICK;
            for (final long sequence : sequences)
            {
                tick.timestamp = 1_000 * sequence;
                final int length = codec.encode(tick, sequence, CommandCodec.NO_RING_SEQUENCE);
                try (DocumentContext dc = appender.writingDocument())
                {
                    dc.wire().bytes().write(codec.array(), 0, length);
                }
            }
        }
    }
}
