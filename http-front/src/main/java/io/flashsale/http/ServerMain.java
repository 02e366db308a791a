package io.flashsale.http;

import io.flashsale.engine.command.Outcome;
import io.flashsale.http.auth.Role;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ConfigException;
import io.flashsale.http.config.ConfigLoader;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.journal.JournalCorruptException;
import io.flashsale.journal.logging.ProcessLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The server's command line: {@code serve} for production, {@code demo} for the README's one-line
 * try-out. Run through {@code scripts/flashsale serve|demo ...}. Main thread.
 */
@Command(name = "flashsale", mixinStandardHelpOptions = true, version = "flashsale 0.1.0",
    description = "The flashsale HTTP server.",
    subcommands = {ServerMain.Serve.class, ServerMain.Demo.class})
public final class ServerMain implements Runnable
{
    public static void main(final String[] args)
    {
        try
        {
            // Before anything logs: Undertow's JBoss Logging picks its backend with its first logger.
            ProcessLogging.install();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("flashsale: " + ex.getMessage());
            System.exit(2);
        }
        System.exit(new CommandLine(new ServerMain()).execute(args));
    }

    @Override
    public void run()
    {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the server. Settings come from the YAML file if given, then the flags.",
            "The JWT secret comes from FLASHSALE_AUTH_SECRET (UTF-8), --secret-file, or auth.secretFile; without one the server does not start."})
    static final class Serve implements Callable<Integer>
    {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (every key optional)")
        Path config;

        @Option(names = "--port", paramLabel = "N", description = "HTTP port (0 for any free port)")
        Integer port;

        @Option(names = "--host", paramLabel = "ADDR", description = "address to bind")
        String host;

        @Option(names = "--journal", paramLabel = "DIR", description = "journal and snapshot directory")
        Path journal;

        @Option(names = "--sync", paramLabel = "POLICY", description = "journal sync: ASYNC (page cache, survives a process crash) or BATCH (msync per ring batch, survives power loss)")
        String sync;

        @Option(names = "--truncate-torn-tail", description = "cut a torn or corrupt journal tail at start-up instead of refusing to start (reported with its index)")
        boolean truncateTornTail;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "file holding the HS256 secret")
        Path secretFile;

        @Override
        public Integer call() throws Exception
        {
            final FlashsaleServer server;
            try
            {
                final ServerConfig config = ConfigLoader.load(this.config);
                if (port != null)
                {
                    config.server.port = port;
                }
                if (host != null)
                {
                    config.server.host = host;
                }
                if (journal != null)
                {
                    config.journal.directory = journal.toString();
                }
                if (sync != null)
                {
                    config.journal.sync = sync.toUpperCase(java.util.Locale.ROOT);
                }
                if (truncateTornTail)
                {
                    config.journal.truncateTornTail = true;
                }
                final ServerEnvironment environment = new ServerEnvironment();
                if (secretFile != null)
                {
                    // The flag wins over the environment: an operator who names a file means it.
                    config.auth.secretFile = secretFile.toString();
                    environment.secret(AuthSecret.resolve(config.auth, java.util.Map.of()));
                }
                server = FlashsaleServer.start(config, environment);
            }
            catch (final ConfigException ex)
            {
                System.err.println("flashsale serve: cannot start:");
                ex.problems().forEach(problem -> System.err.println("  " + problem));
                return 2;
            }
            catch (final JournalCorruptException | java.io.UncheckedIOException ex)
            {
                System.err.println("flashsale serve: cannot recover the journal: " + ex.getMessage());
                return 3;
            }
            System.out.println("flashsale serving on port " + server.port());
            return runUntilStopped(server);
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts the server with embedded defaults and a demo sale that opens about a minute later.",
            "Prints the shopper URL, an admin token and how to get shopper tokens. Ctrl-C stops it."})
    static final class Demo implements Callable<Integer>
    {
        @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--journal", paramLabel = "DIR", defaultValue = "./data/journal", description = "journal directory (default ${DEFAULT-VALUE})")
        Path journal;

        @Option(names = "--opens-in", paramLabel = "SECONDS", defaultValue = "60", description = "seconds until the demo sale opens (default ${DEFAULT-VALUE})")
        int opensIn;

        @Override
        public Integer call() throws Exception
        {
            final ServerConfig config = new ServerConfig();
            config.server.port = port;
            config.journal.directory = journal.toString();
            final ServerEnvironment environment = new ServerEnvironment().demo(true);
            final String fromEnv = System.getenv(AuthSecret.ENV);
            if (fromEnv == null || fromEnv.isEmpty())
            {
                final byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                environment.secret(AuthSecret.of(random, "a random demo secret (set " + AuthSecret.ENV + " to keep tokens across restarts)"));
            }
            final FlashsaleServer server;
            try
            {
                server = FlashsaleServer.start(config, environment);
            }
            catch (final ConfigException ex)
            {
                System.err.println("flashsale demo: cannot start: " + ex.getMessage());
                return 2;
            }
            catch (final JournalCorruptException | java.io.UncheckedIOException ex)
            {
                System.err.println("flashsale demo: cannot recover the journal in " + journal + ": " + ex.getMessage());
                return 3;
            }
            final Instant now = Instant.now();
            final Instant opensAt = now.plusSeconds(opensIn);
            final CompletableFuture<Long> saleId = new CompletableFuture<>();
            final Outcome published = server.pipeline().createSale("Demo drop", 100, opensAt.toEpochMilli(),
                opensAt.plus(Duration.ofHours(1)).toEpochMilli(), 2, 300_000,
                event -> {
                    if (event.outcome == Outcome.SALE_CREATED)
                    {
                        saleId.complete(event.resultSaleId);
                    }
                    else
                    {
                        saleId.completeExceptionally(new IllegalStateException("demo sale not created: " + event.outcome));
                    }
                }, null);
            if (published != Outcome.PENDING)
            {
                System.err.println("flashsale demo: could not create the demo sale: " + published);
                server.close();
                return 1;
            }
            final long id = saleId.get(10, TimeUnit.SECONDS);
            final String admin = server.tokenIssuer().issue("demo-admin", Role.ADMIN, now.plus(Duration.ofHours(12)));
            final String base = "http://localhost:" + server.port();
            System.out.println();
            System.out.println("flashsale demo is running.");
            System.out.println("  shopper page:  " + base + "/?sale=" + id);
            System.out.println("  demo sale:     " + base + "/api/sales/" + id + "  (100 units, opens at " + opensAt + ", in about " + opensIn + " s)");
            System.out.println("  admin token:   " + admin);
            System.out.println("  admin view:    curl -H 'Authorization: Bearer " + admin + "' " + base + "/admin/sales/" + id);
            System.out.println("  shopper token: curl -X POST -H 'Content-Type: application/json' -d '{\"name\":\"alice\"}' " + base + "/demo/token");
            System.out.println("  Ctrl-C stops the server.");
            System.out.println();
            return runUntilStopped(server);
        }
    }

    /** Blocks the main thread until Ctrl-C (SIGINT/SIGTERM), then closes the server cleanly. */
    private static int runUntilStopped(final FlashsaleServer server) throws InterruptedException
    {
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("flashsale: stopping (draining the ring)");
            server.close();
            stopped.countDown();
        }, "flashsale-shutdown"));
        stopped.await();
        return 0;
    }
}
