package io.flashsale.journal.feed;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The feed follows the journal of a running engine (the server's durable engine and ring, same
 * folder): purchases published with their shopper's subject arrive with it, payments and
 * expiries follow, and the books match.
 */
class FeedBesideTheEngineTest
{
    private final TestPostgres postgres = TestPostgres.shared();

    @TempDir
    Path data;

    private static final ReplyListener COMPLETE = event ->
    {
        @SuppressWarnings("unchecked")
        final CompletableFuture<long[]> future = (CompletableFuture<long[]>)event.attachment;
        future.complete(new long[] {event.outcome.ordinal(), event.resultOrderId, event.resultSaleId});
    };

    private static long[] replyOf(final CompletableFuture<long[]> reply) throws Exception
    {
        return reply.get(30, TimeUnit.SECONDS);
    }

    @Test
    void ordersPublishedWithTheirShoppersSubjectArriveWithItWhileTheEngineRuns() throws Exception
    {
        final String schema = TestPostgres.newSchema("beside");
        final long[] clock = {System.currentTimeMillis()};
        try (DurableEngine durable = DurableEngine.open(new JournalConfig(data).snapshotEveryCommands(0).snapshotEverySeconds(0));
             CommandPipeline pipeline = CommandPipeline.start(durable.engine(), new PipelineConfig()
                 .journal(durable.journalPort()).snapshots(durable.snapshotPort()).tickIntervalMillis(0).clock(() -> clock[0]).ringSize(1024)))
        {
            CompletableFuture<long[]> reply = new CompletableFuture<>();
            pipeline.createSale("sneakers", 100, clock[0] - 1, clock[0] + 3_600_000, 2, 60_000, COMPLETE, reply);
            final long sale = replyOf(reply)[2];

            final OrderFeed.Options options = FeedMatchesEngineTest.options(data, postgres.jdbcUrl(), schema, FeedMatchesEngineTest.quiet());
            options.follow = true;
            final OrderFeed feed = OrderFeed.open(options);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
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
                final long[] orders = new long[3];
                for (int i = 0; i < 3; i++)
                {
                    reply = new CompletableFuture<>();
                    assertThat(pipeline.purchase(sale, 100 + i, "shopper-" + i + "@shop.example", 1, 0, COMPLETE, reply)).isEqualTo(Outcome.PENDING);
                    final long[] result = replyOf(reply);
                    assertThat(Outcome.values()[(int)result[0]]).isEqualTo(Outcome.RESERVED);
                    orders[i] = result[1];
                }
                reply = new CompletableFuture<>();
                pipeline.pay(orders[0], 100, "psp-1", COMPLETE, reply);
                replyOf(reply);
                clock[0] += 61_000;
                reply = new CompletableFuture<>();
                pipeline.tick(COMPLETE, reply);
                replyOf(reply);
                final long end = durable.journalSequence();

                await().atMost(Duration.ofSeconds(30)).until(() -> feed.cursor() == end || failure.get() != null);
                assertThat(failure.get()).isNull();
                try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT order_id, shopper, state FROM " + schema + ".orders ORDER BY order_id"))
                {
                    final StringBuilder table = new StringBuilder();
                    while (rows.next())
                    {
                        table.append(rows.getLong(1)).append(' ').append(rows.getString(2)).append(' ').append(rows.getString(3)).append('\n');
                    }
                    assertThat(table.toString()).isEqualTo(orders[0] + " shopper-0@shop.example PAID\n" + orders[1] +
                        " shopper-1@shop.example EXPIRED\n" + orders[2] + " shopper-2@shop.example EXPIRED\n");
                }
            }
            finally
            {
                feed.stop();
                runner.join();
                feed.close();
            }
        }
    }

    @Test
    void aSubjectTooLongForTheJournalIsRefusedBeforeTheRing() throws Exception
    {
        try (CommandPipeline pipeline = CommandPipeline.start(new io.flashsale.engine.SaleEngine(), new PipelineConfig().tickIntervalMillis(0)))
        {
            assertThat(pipeline.purchase(1, 1, "x".repeat(CommandEvent.MAX_TEXT_BYTES + 1), 1, 0, COMPLETE, new CompletableFuture<long[]>()))
                .isEqualTo(Outcome.INVALID);
        }
    }
}
