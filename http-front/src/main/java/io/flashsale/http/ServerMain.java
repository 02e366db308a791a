package io.flashsale.http;

import io.flashsale.engine.command.Outcome;
import io.flashsale.http.auth.Role;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ConfigException;
import io.flashsale.http.config.ConfigLoader;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.http.edge.EdgeCommand;
import io.flashsale.journal.JournalCorruptException;
import io.flashsale.journal.PoisonCommandException;
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
    subcommands = {ServerMain.Serve.class, ServerMain.Demo.class, ServerMain.Standby.class, ServerMain.Promote.class, EdgeCommand.class})
public final class ServerMain implements Runnable
{
    /** How to size the heap; the figures are the crowd drill's budget (README, Reliability). */
    static final String HEAP_HELP =
        "scripts/flashsale starts the server with -Xmx${FLASHSALE_HEAP:-2g} (FLASHSALE_HEAP, default 2g; an -Xmx in " +
        "FLASHSALE_JAVA_OPTS wins) and -XX:+ExitOnOutOfMemoryError. Live heap needed, by the budget `flashsale drill crowd` " +
        "checks: about 100 MiB for the server itself, plus 512 B per shopper active within limits.idleExpirySeconds, plus " +
        "512 B per cached token (auth.tokenCacheSize, 100,000 by default: 49 MiB), plus up to 1 KiB per buyer's order for " +
        "the sale's life (about 1,000 orders per MiB); give the " +
        "heap twice that. 1,000,000 shoppers at once: 100 + 488 + 49 MiB = ~640 MiB live, so the default 2g. " +
        "A server out of heap exits (code 3 from the JVM; 70 when started without that flag and a ring stage met it) " +
        "and a restart recovers every acknowledged order from the journal. " +
        "FLASHSALE_HEAP_DUMP=1 writes a heap dump into the data folder when that happens.";

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
            "The JWT secret comes from FLASHSALE_AUTH_SECRET (UTF-8), --secret-file, or auth.secretFile; without one the server does not start."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:stopped by Ctrl-C / SIGTERM after draining the ring",
            " 2:the configuration or the secret is unusable",
            " 3:the journal cannot be recovered (see the message); also the JVM's own exit on OutOfMemoryError (-XX:+ExitOnOutOfMemoryError)",
            " 4:a poison command: the engine throws on a journaled command (sequence and index in the message)",
            "70:the ring failed (a stage, the ticker or a helper threw; out of memory anywhere without the JVM flag): not ready at once, " +
                "in-flight requests answered 503, exit after a drain of at most 2 s (5 s at worst)",
            "74:the journal could not write (disk full, I/O error): the same"},
        footerHeading = "%nHeap:%n",
        footer = {HEAP_HELP})
    static class Serve implements Callable<Integer>
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

        @Option(names = "--truncate-torn-tail", description = "cut a damaged journal tail (a corrupt last record, an unreadable excerpt) at start-up instead of refusing to start (reported with its index); an unfinished last write, never acknowledged, is cut without it")
        boolean truncateTornTail;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "file holding the HS256 secret")
        Path secretFile;

        @Option(names = "--edge-link", paramLabel = "HOST:PORT",
            description = "opens the link for edges (flashsale edge) on this UDP address, and only it (config edges.link); on a standby " +
                "too: edges given both cores see its views and role, and follow it once it is promoted")
        String edgeLink;

        @Option(names = "--replication-link", paramLabel = "HOST:PORT",
            description = "replicate to a hot standby: the UDP address standbys join (replication.link); they prove the same secret")
        String replicationLink;

        @Option(names = "--replication", paramLabel = "MODE",
            description = "sync (default: no reply before the standby journaled the command, once it is in sync) or async (lag reported)")
        String replicationMode;

        /** What a subcommand adds to the configuration before the server starts. */
        void configure(final ServerConfig config)
        {
        }

        String name()
        {
            return "serve";
        }

        @Override
        public Integer call() throws Exception
        {
            final FlashsaleServer server;
            try
            {
                final ServerConfig config = ConfigLoader.load(this.config);
                if (replicationLink != null)
                {
                    config.replication.link = replicationLink;
                }
                if (replicationMode != null)
                {
                    config.replication.mode = replicationMode;
                }
                configure(config);
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
                if (edgeLink != null)
                {
                    config.edges.link = edgeLink;
                }
                final ServerEnvironment environment = new ServerEnvironment().processExit(ServerMain::halt);
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
                System.err.println("flashsale " + name() + ": cannot start:");
                ex.problems().forEach(problem -> System.err.println("  " + problem));
                return 2;
            }
            catch (final JournalCorruptException | java.io.UncheckedIOException ex)
            {
                System.err.println("flashsale " + name() + ": cannot recover the journal: " + ex.getMessage());
                return 3;
            }
            catch (final PoisonCommandException ex)
            {
                System.err.println("flashsale " + name() + ": cannot recover: " + ex.getMessage());
                return 4;
            }
            System.out.println("flashsale " + (name().equals("serve") ? "serving" : "standby serving reads") + " on port " + server.port());
            if (server.edgeLink() != null)
            {
                System.out.println("flashsale edge link on " + server.edgeLink());
            }
            return runUntilStopped(server);
        }
    }

    @Command(name = "standby", mixinStandardHelpOptions = true,
        description = {"Runs a hot standby: joins the primary's replication address, journals every record the primary sends in its own journal",
            "(same sequence, same bytes), applies it to its own engine and acknowledges it. A standby started empty or behind catches up",
            "from the primary's journal first. It serves reads (sales, health, metrics, admin views) and refuses writes with 503 standby.",
            "It proves the server secret (FLASHSALE_AUTH_SECRET or --secret-file), which must be the primary's.",
            "With --edge-link it opens a link for edges too (edge --core PRIMARY --core STANDBY): it pushes its own views and says it is",
            "a standby, answers edge commands 503 standby, and is followed by the edges as soon as it is promoted.",
            "Other options as for serve; exit codes as for serve."})
    static final class Standby extends Serve
    {
        @Option(names = "--primary", paramLabel = "HOST:PORT", required = true, description = "the primary's replication address (its --replication-link)")
        String primary;

        @Option(names = "--endpoint", paramLabel = "HOST:PORT",
            description = "this standby's own UDP address the primary sends to (default: the local address towards the primary, any free port)")
        String endpoint;

        @Option(names = "--failover-after-millis", paramLabel = "N",
            description = "promote itself when in sync and the primary is silent this long, or at once when it steps down " +
                "(replication.failoverAfterMillis; 0: off, the default; at least replication.peerTimeoutMillis). Safe with sync + stall only")
        Long failoverAfterMillis;

        @Override
        void configure(final ServerConfig config)
        {
            config.replication.primary = primary;
            if (failoverAfterMillis != null)
            {
                config.replication.failoverAfterMillis = failoverAfterMillis;
            }
            if (endpoint != null)
            {
                config.replication.standbyEndpoint = endpoint;
            }
        }

        @Override
        String name()
        {
            return "standby";
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
        description = {"Turns a hot standby into the primary of a new epoch (POST /admin/replication/promote), authenticated as admin",
            "with the server secret (FLASHSALE_AUTH_SECRET or --secret-file). The standby stops following its old primary first,",
            "so from here on the old primary can no longer have anything acknowledged (in sync mode it stalls).",
            "Promote only a standby that was in sync, once the old primary is dead or cut off."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:promoted (the answer is printed)", " 1:refused or failed (the answer is printed)", " 2:no secret, or a bad --node"})
    static final class Promote implements Callable<Integer>
    {
        @Option(names = "--node", required = true, paramLabel = "URL", description = "the standby's HTTP address, e.g. http://10.0.0.2:8080")
        String node;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "file holding the server secret (else FLASHSALE_AUTH_SECRET)")
        Path secretFile;

        @Override
        public Integer call() throws Exception
        {
            final byte[] secret;
            final java.net.URI uri;
            try
            {
                final ServerConfig.Auth auth = new ServerConfig.Auth();
                auth.secretFile = secretFile == null ? null : secretFile.toString();
                secret = AuthSecret.resolve(auth, secretFile == null ? System.getenv() : java.util.Map.of()).bytes();
                uri = java.net.URI.create(node.replaceAll("/+$", "") + "/admin/replication/promote");
            }
            catch (final ConfigException | IllegalArgumentException ex)
            {
                System.err.println("flashsale promote: " + ex.getMessage());
                return 2;
            }
            final String token = new io.flashsale.http.auth.TokenIssuer(secret).issue("flashsale-promote", Role.ADMIN, Instant.now().plus(Duration.ofMinutes(2)));
            final java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200)
            {
                System.out.println(answer.body());
                return 0;
            }
            System.err.println("flashsale promote: " + answer.statusCode() + " " + answer.body());
            return 1;
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts the server with embedded defaults and a demo sale that opens about a minute later.",
            "Prints the shopper URL, an admin token and how to get shopper tokens. Ctrl-C stops it.",
            "Exit codes as for serve (serve --help)."},
        footerHeading = "%nHeap:%n",
        footer = {HEAP_HELP})
    static final class Demo implements Callable<Integer>
    {
        @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--journal", paramLabel = "DIR", defaultValue = "./data/journal", description = "journal directory (default ${DEFAULT-VALUE})")
        Path journal;

        @Option(names = "--opens-in", paramLabel = "SECONDS", defaultValue = "60", description = "seconds until the demo sale opens (default ${DEFAULT-VALUE})")
        int opensIn;

        @Option(names = "--host", paramLabel = "ADDR", description = "address to bind (default: all)")
        String host;

        @Option(names = "--edge-link", paramLabel = "HOST:PORT",
            description = "opens the link for edges on this UDP address (scripts/flashsale demo --edges N runs the core this way)")
        String edgeLink;

        @Override
        public Integer call() throws Exception
        {
            final ServerConfig config = new ServerConfig();
            config.server.port = port;
            config.journal.directory = journal.toString();
            if (host != null)
            {
                config.server.host = host;
            }
            if (edgeLink != null)
            {
                config.edges.link = edgeLink;
            }
            final ServerEnvironment environment = new ServerEnvironment().demo(true).processExit(ServerMain::halt);
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
            catch (final PoisonCommandException ex)
            {
                System.err.println("flashsale demo: cannot recover: " + ex.getMessage());
                return 4;
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
            System.out.println("  heap:          " + Runtime.getRuntime().maxMemory() / (1024 * 1024) +
                " MiB at most (FLASHSALE_HEAP; how to size it for a crowd: serve --help)");
            System.out.println("  Ctrl-C stops the server.");
            System.out.println();
            return runUntilStopped(server);
        }
    }

    /** How a failed server ends the process: at once, without shutdown hooks (see {@link FailFast}). */
    private static void halt(final int code)
    {
        Runtime.getRuntime().halt(code);
    }

    /**
     * Blocks the main thread until Ctrl-C (SIGINT/SIGTERM), then closes the server cleanly. Any
     * thread that dies of an {@link Error} from here on (an IO thread out of memory, say) fails the
     * core, and so ends the process, as a ring stage's failure does.
     */
    static int runUntilStopped(final FlashsaleServer server) throws InterruptedException
    {
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> {
            if (ex instanceof Error)
            {
                server.failCore(thread.getName(), ex);
            }
            else
            {
                System.err.println("flashsale: thread " + thread.getName() + " died:");
                ex.printStackTrace();
            }
        });
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
