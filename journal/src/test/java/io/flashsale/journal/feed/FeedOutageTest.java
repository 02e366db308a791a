package io.flashsale.journal.feed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The database goes away mid-feed and comes back: the feed waits with backoff, says so, loses nothing. */
class FeedOutageTest
{
    @TempDir
    Path tmp;

    @Test
    void aFeedWaitsForTheDatabaseToComeBackAndLosesNothing() throws Exception
    {
        final Path data = Files.createDirectory(tmp.resolve("data"));
        final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (TestPostgres postgres = TestPostgres.startNew(); FeedWorkload workload = new FeedWorkload(data, 5))
        {
            final String schema = "flashsale";
            workload.run(1_000);
            final OrderFeed.Options options = FeedMatchesEngineTest.options(data, postgres.jdbcUrl(), schema, log);
            options.follow = true;
            options.maxBatch = 100;
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final OrderFeed feed = OrderFeed.open(options);
            final Thread runner = new Thread(() ->
            {
                try
                {
                    feed.run();
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            }, "feed");
            runner.start();
            try
            {
                await().atMost(Duration.ofSeconds(60)).until(() -> feed.cursor() == workload.lastSequence() || failure.get() != null);

                postgres.stopServer();
                workload.run(1_500);
                await().atMost(Duration.ofSeconds(60)).until(() -> logText(logBytes).contains("database unavailable") || failure.get() != null);
                final long heldAt = feed.cursor();
                workload.run(500);
                postgres.startServer();

                await().atMost(Duration.ofSeconds(60)).until(() -> feed.cursor() == workload.lastSequence() || failure.get() != null);
                assertThat(failure.get()).isNull();
                assertThat(heldAt).isLessThan(workload.lastSequence());
                assertThat(logText(logBytes)).contains("retry").contains("database back after");
            }
            finally
            {
                feed.stop();
                runner.join();
                feed.close();
            }
            assertThat(failure.get()).isNull();
            try (Connection connection = postgres.connect())
            {
                assertThat(FeedBooks.differences(connection, schema, workload.engine(), FeedWorkload::subjectOf)).isEmpty();
            }
        }
    }

    private static String logText(final ByteArrayOutputStream bytes)
    {
        synchronized (bytes)
        {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
