package io.flashsale.journal.feed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flashsale feed}: exit codes and messages an operator meets, and the dry run. */
class FeedCliTest
{
    private final TestPostgres postgres = TestPostgres.shared();

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err)
    {
    }

    private static synchronized Run feed(final String... args)
    {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try
        {
            final int exit = new CommandLine(new FeedCli()).execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path journal(final String name, final long seed, final int commands) throws Exception
    {
        final Path data = Files.createDirectory(tmp.resolve(name));
        try (FeedWorkload workload = new FeedWorkload(data, seed))
        {
            workload.run(commands);
        }
        return data;
    }

    @Test
    void anUnreachableDatabaseIsExitFourWithTheReason() throws Exception
    {
        final int port;
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort();
        }
        final Run run = feed("--journal", journal("a", 1, 50).toString(), "--jdbc", "jdbc:postgresql://127.0.0.1:" + port + "/shop?user=feed&password=secret",
            "--no-progress");
        assertThat(run.exit()).as(run.err()).isEqualTo(4);
        assertThat(run.err()).contains("cannot reach the database at jdbc:postgresql://127.0.0.1:" + port).contains("password=***")
            .doesNotContain("secret");
    }

    @Test
    void aSchemaMigratedByANewerFeedIsExitFive() throws Exception
    {
        final String schema = TestPostgres.newSchema("newer");
        final Path data = journal("a", 1, 100);
        assertThat(feed("--journal", data.toString(), "--jdbc", postgres.jdbcUrl(), "--schema", schema, "--no-progress").exit()).isZero();
        postgres.execute("INSERT INTO " + schema + ".feed_schema_history (installed_rank, version, description, type, script, checksum," +
            " installed_by, execution_time, success) VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'test', 1, true)");

        final Run run = feed("--journal", data.toString(), "--jdbc", postgres.jdbcUrl(), "--schema", schema, "--no-progress");
        assertThat(run.exit()).as(run.err()).isEqualTo(5);
        assertThat(run.err()).contains("version 99").contains("newer than this feed knows (1)");
    }

    @Test
    void aJournalOfAnotherHistoryIsExitThreeAndFromStartRebuildsFromIt() throws Exception
    {
        final String schema = TestPostgres.newSchema("history");
        final Path first = journal("first", 1, 300);
        final Path other = Files.createDirectory(tmp.resolve("other"));
        try (FeedWorkload workload = new FeedWorkload(other, 2))
        {
            workload.run(200);
            assertThat(feed("--journal", first.toString(), "--jdbc", postgres.jdbcUrl(), "--schema", schema, "--no-progress").exit()).isZero();

            final Run refused = feed("--journal", other.toString(), "--jdbc", postgres.jdbcUrl(), "--schema", schema, "--no-progress");
            assertThat(refused.exit()).as(refused.err()).isEqualTo(3);
            assertThat(refused.err()).contains("belongs to another journal").contains("--from-start");

            final Run rebuilt = feed("--journal", other.toString(), "--jdbc", postgres.jdbcUrl(), "--schema", schema, "--from-start", "--no-progress");
            assertThat(rebuilt.exit()).as(rebuilt.err()).isZero();
            try (Connection connection = postgres.connect())
            {
                assertThat(FeedBooks.differences(connection, schema, workload.engine(), FeedWorkload::subjectOf)).isEmpty();
            }
        }
    }

    @Test
    void aDryRunPrintsTheRowsAndTheCursorAndWritesNothing() throws Exception
    {
        final String schema = TestPostgres.newSchema("dry");
        final Path data = journal("a", 3, 400);
        final Run run = feed("--journal", data.toString(), "--jdbc", postgres.jdbcUrl(), "--schema", schema, "--dry-run", "--batch", "100",
            "--no-progress");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("sale 1 name=sale 1 ✓").containsPattern("order 1 sale=1 shopper=customer-\\d+@shop.example qty=\\d")
            .contains("order_event 1 RESERVED").contains("cursor 100\n").contains("cursor 400\n");
        try (Connection connection = postgres.connect())
        {
            assertThat(FeedMatchesEngineTest.count(connection, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + schema + "'"))
                .as("nothing created").isZero();
        }
    }

    @Test
    void withoutJdbcOnlyADryRunIsAllowed() throws Exception
    {
        final Run run = feed("--journal", journal("a", 1, 10).toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--jdbc is required");
    }
}
