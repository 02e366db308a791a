package io.flashsale.journal.feed;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.model.CommandStreams;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.model.SeededStreams;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The feed's database equals the engine's books, row by row, after random command streams. */
class FeedMatchesEngineTest
{
    private final TestPostgres postgres = TestPostgres.shared();

    @TempDir
    Path tmp;

    static OrderFeed.Options options(final Path journal, final String jdbcUrl, final String schema, final PrintStream log)
    {
        final OrderFeed.Options options = new OrderFeed.Options();
        options.journal = journal;
        options.jdbcUrl = jdbcUrl;
        options.schema = schema;
        options.progress = false;
        options.statusEveryMillis = 0;
        options.log = log;
        return options;
    }

    static PrintStream quiet()
    {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    static long deliver(final OrderFeed.Options options) throws FeedException
    {
        try (OrderFeed feed = OrderFeed.open(options))
        {
            feed.run();
            return feed.cursor();
        }
    }

    /** A snapshot file of the engine's current state, as the server's snapshot writer leaves it. */
    static void writeSnapshot(final Path dataDir, final SaleEngine engine) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EngineSnapshot.write(engine, new DataOutputStream(bytes));
        new SnapshotStore(dataDir.resolve(JournalConfig.SNAPSHOT_FOLDER)).write(bytes.toByteArray(), bytes.size(), engine.appliedCount(), engine.now());
    }

    @Test
    void databaseEqualsTheBooksAfterManySalesDeliveredInSeveralRunsAndSmallBatches() throws Exception
    {
        for (long seed = 1; seed <= 3; seed++)
        {
            final Path data = Files.createDirectory(tmp.resolve("seed" + seed));
            final String schema = TestPostgres.newSchema("books");
            final OrderFeed.Options options = options(data, postgres.jdbcUrl(), schema, quiet());
            options.maxBatch = 1 + (int)seed * 37;
            try (FeedWorkload workload = new FeedWorkload(data, seed))
            {
                workload.run(2_500);
                assertThat(deliver(options)).isEqualTo(workload.lastSequence());
                workload.run(1_500);
                writeSnapshot(data, workload.engine());
                workload.run(2_000);
                assertThat(deliver(options)).isEqualTo(workload.lastSequence());
                workload.run(1_000);
                assertThat(deliver(options)).isEqualTo(workload.lastSequence());
                try (Connection connection = postgres.connect())
                {
                    assertThat(FeedBooks.differences(connection, schema, workload.engine(), FeedWorkload::subjectOf))
                        .as("seed %d", seed).isEmpty();
                    assertThat(count(connection, "SELECT count(*) FROM " + schema + ".orders WHERE state = 'EXPIRED'")).isPositive();
                    assertThat(count(connection, "SELECT count(*) FROM " + schema + ".orders WHERE state = 'CANCELLED'")).isPositive();
                    assertThat(count(connection, "SELECT count(*) FROM " + schema + ".orders WHERE state = 'PAID'")).isPositive();
                }
            }
        }
    }

    @Test
    void databaseEqualsTheBooksOnTheEngineModelsRandomStreams()
    {
        SeededStreams.forEach(500, 12, 400, (stream, random) ->
        {
            final Path data = Files.createTempDirectory(tmp, "stream");
            final String schema = TestPostgres.newSchema("streams");
            final OrderFeed.Options options = options(data, postgres.jdbcUrl(), schema, quiet());
            options.maxBatch = 1 + random.nextInt(50);
            try (FeedWorkload workload = new FeedWorkload(data, 0))
            {
                int i = 0;
                for (final CommandEvent command : CommandStreams.journaledOnly(stream))
                {
                    // Without subjects: the model's streams name shoppers late or not at all, and a row keeps the
                    // shopper it was inserted with; subjects are the other tests' business (FeedWorkload names everyone).
                    final CommandEvent copy = Commands.copyOf(command);
                    if (copy.type == CommandType.PURCHASE)
                    {
                        copy.setText((CharSequence)null);
                    }
                    workload.append(copy);
                    if (++i % 150 == 0)
                    {
                        deliver(options);
                    }
                }
                assertThat(deliver(options)).isEqualTo(workload.lastSequence());
                try (Connection connection = postgres.connect())
                {
                    assertThat(FeedBooks.differences(connection, schema, workload.engine(), user -> "")).isEmpty();
                }
            }
        });
    }

    static long count(final Connection connection, final String sql) throws Exception
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql))
        {
            rows.next();
            return rows.getLong(1);
        }
    }
}
