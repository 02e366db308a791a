package io.flashsale.http;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server as {@code serve} runs it (fail fast with a real exit), in a child JVM started with a
 * tiny heap, and a thread that buys from one huge sale through the real ring, journal and engine,
 * one new shopper per purchase, as fast as the ring takes them, until the heap runs out. Prints
 * {@code PORT n} once ready and {@code FILLING} when the buying starts.
 *
 * <p>{@code FillingServerChild JOURNAL_DIR}
 */
public final class FillingServerChild
{
    private FillingServerChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ServerConfig config = TestServer.looseConfig();
        config.journal.directory = args[0];
        config.journal.snapshotEveryCommands = 0;
        config.journal.snapshotEverySeconds = 0;
        final FlashsaleServer server = FlashsaleServer.start(config, new ServerEnvironment()
            .secret(AuthSecret.of(TestServer.SECRET, "the test"))
            .processExit(code -> Runtime.getRuntime().halt(code)));
        System.out.println("PORT " + server.port());
        final CommandPipeline pipeline = server.pipeline();
        final long now = System.currentTimeMillis();
        final CompletableFuture<Long> sale = new CompletableFuture<>();
        pipeline.createSale("bottomless", Integer.MAX_VALUE, now - 1, now + 3_600_000, 1, 3_600_000, event ->
        {
            if (event.outcome == Outcome.SALE_CREATED)
            {
                sale.complete(event.resultSaleId);
            }
            else
            {
                sale.completeExceptionally(new IllegalStateException("sale not created: " + event.outcome));
            }
        }, null);
        final long saleId = sale.get(30, TimeUnit.SECONDS);
        final Thread filler = new Thread(() -> fill(pipeline, saleId), "filler");
        filler.setDaemon(true);
        filler.start();
        System.out.println("FILLING");
        System.exit(ServerMain.runUntilStopped(server));
    }

    private static void fill(final CommandPipeline pipeline, final long saleId)
    {
        long user = 1;
        while (true)
        {
            try
            {
                final Outcome published = pipeline.purchase(saleId, user, 1, 0, null, null);
                if (published == Outcome.PENDING)
                {
                    user++;
                }
                else if (published == Outcome.SHUTTING_DOWN)
                {
                    return;
                }
                else
                {
                    Thread.yield();
                }
            }
            catch (final OutOfMemoryError ex)
            {
                // Not this thread's business: the server is meant to notice and go.
                Thread.yield();
            }
        }
    }
}
