package io.flashsale.journal.feed;

import io.flashsale.journal.process.ChildJava;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of a real feed process at random moments while it follows a journal that is being
 * written, restarted each time: at the end every order is there once in its final state, the
 * cursor is at the journal's end, and no order row was written twice (a trigger counts the writes).
 */
class FeedCrashTest
{
    private static final int KILLS = 6;

    private final TestPostgres postgres = TestPostgres.shared();

    @TempDir
    Path tmp;

    @Test
    void aFeedKilledAtRandomMomentsDeliversEveryChangeExactlyOnce() throws Exception
    {
        final Path data = Files.createDirectory(tmp.resolve("data"));
        final String schema = TestPostgres.newSchema("crash");
        try (FeedDatabase database = FeedDatabase.connect(postgres.jdbcUrl(), schema))
        {
            database.migrate();
        }
        postgres.execute("CREATE TABLE " + schema + ".test_order_writes (order_id bigint NOT NULL, journal_seq bigint NOT NULL, op text NOT NULL)");
        postgres.execute("CREATE FUNCTION " + schema + ".test_count_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
            "INSERT INTO " + schema + ".test_order_writes VALUES (NEW.order_id, NEW.journal_seq, TG_OP); RETURN NULL; END $$");
        postgres.execute("CREATE TRIGGER test_count_write AFTER INSERT OR UPDATE ON " + schema + ".orders FOR EACH ROW EXECUTE FUNCTION " +
            schema + ".test_count_write()");

        final Random random = new Random(20261129);
        final File log = tmp.resolve("feed.log").toFile();
        final List<Long> cursorsAtKill = new ArrayList<>();
        try (FeedWorkload workload = new FeedWorkload(data, 77))
        {
            workload.run(500);
            for (int kill = 0; kill <= KILLS; kill++)
            {
                final Process feed = new ProcessBuilder(ChildJava.command(List.of("-Xmx512m"), FeedCli.class.getName(), List.of("--journal",
                        data.toString(), "--jdbc", postgres.jdbcUrl(), "--schema", schema, "--follow", "--batch",
                        String.valueOf(20 + random.nextInt(200)), "--no-progress", "--status-every", "0")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .start();
                try
                {
                    final long started = System.nanoTime();
                    // Writes go on while the feed starts, catches up and follows. Every other kill waits until
                    // this feed has committed something, so that kills land in delivery, not only in start-up.
                    final long before = cursor(schema);
                    final boolean afterDelivery = kill % 2 == 0;
                    final long until = System.nanoTime() + Duration.ofMillis(200 + random.nextInt(3_000)).toNanos();
                    final long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (System.nanoTime() < until || afterDelivery && cursor(schema) == before && System.nanoTime() < giveUp)
                    {
                        workload.run(20 + random.nextInt(80));
                        Thread.sleep(random.nextInt(15));
                    }
                    if (afterDelivery)
                    {
                        Thread.sleep(random.nextInt(1_000));
                    }
                    if (kill < KILLS)
                    {
                        feed.destroyForcibly();
                        assertThat(feed.waitFor()).as("exit after kill -9, see " + log).isEqualTo(137);
                        cursorsAtKill.add(cursor(schema));
                        System.out.println("FeedCrashTest: kill " + kill + " at cursor " + cursorsAtKill.get(kill) + " of " + workload.lastSequence() +
                            " after " + (System.nanoTime() - started) / 1_000_000 + " ms");
                        continue;
                    }
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> cursor(schema) == workload.lastSequence() || !feed.isAlive());
                    assertThat(feed.isAlive()).as("the last feed still runs, see " + log).isTrue();
                    feed.destroy();
                    assertThat(feed.waitFor()).as("exit after SIGTERM, see " + log).isIn(0, 143);
                }
                finally
                {
                    feed.destroyForcibly();
                }
            }

            try (Connection connection = postgres.connect())
            {
                assertThat(FeedBooks.differences(connection, schema, workload.engine(), FeedWorkload::subjectOf)).isEmpty();
                assertThat(FeedMatchesEngineTest.count(connection, "SELECT count(*) FROM (SELECT order_id, journal_seq FROM " + schema +
                    ".test_order_writes GROUP BY order_id, journal_seq HAVING count(*) > 1) twice")).as("order rows written twice").isZero();
                assertThat(FeedMatchesEngineTest.count(connection, "SELECT count(*) FROM " + schema + ".test_order_writes WHERE op = 'INSERT'"))
                    .as("inserts: one per order").isEqualTo(workload.engine().orders().count());
            }
        }
        assertThat(cursorsAtKill).as("cursors at the kills: some kills came after deliveries").anyMatch(c -> c > 0);
    }

    private long cursor(final String schema) throws Exception
    {
        try (Connection connection = postgres.connect())
        {
            return FeedMatchesEngineTest.count(connection, "SELECT coalesce(max(journal_seq), 0) FROM " + schema + ".feed_cursor");
        }
    }
}
