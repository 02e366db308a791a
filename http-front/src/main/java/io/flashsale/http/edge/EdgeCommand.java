package io.flashsale.http.edge;

import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ConfigException;
import io.flashsale.http.config.ConfigLoader;
import io.flashsale.http.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code flashsale edge}: runs an {@link EdgeServer} until Ctrl-C / SIGTERM. Main thread.
 */
@Command(name = "edge", mixinStandardHelpOptions = true,
    description = {"Runs an edge: a stateless HTTP front with the public routes of serve (page, /api/*, /health/*, /metrics; no admin routes).",
        "Its core is a 'serve --edge-link HOST:PORT', reached over the link (Aeron, UDP). Given a primary and its standbys",
        "(--core A --core B, each with --edge-link), it links to every one and sends its commands to the one that says it is the",
        "primary of the highest epoch: after a promotion it follows the new primary by itself, and an old primary that comes back",
        "in an older epoch is ignored. While no core is heard as that primary it answers 503 core-unavailable (Retry-After).",
        "Settings come from the YAML file if given (serve's format, plus edge.core, edge.link, edge.id), then the flags.",
        "The secret is the core's: FLASHSALE_AUTH_SECRET (UTF-8), --secret-file, or auth.secretFile."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        " 0:stopped by Ctrl-C / SIGTERM after the answers in flight were written",
        " 2:the configuration, the secret or a link address is unusable",
        " 3:the JVM's own exit on OutOfMemoryError (-XX:+ExitOnOutOfMemoryError)",
        "70:a thread died of an Error: the edge ends at once; nothing is lost, orders live in the core"})
public final class EdgeCommand implements Callable<Integer>
{
    @Option(names = "--core", paramLabel = "HOST:PORT", split = ",",
        description = "a core's link address (its serve or standby --edge-link); repeat it for a primary and its standbys " +
            "(config edge.core: one address or a list)")
    List<String> core;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (0 for any free port)")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDR", description = "HTTP address to bind")
    String host;

    @Option(names = "--link", paramLabel = "HOST:PORT",
        description = "this edge's own UDP address, where the core sends to (config edge.link; default: --host when it is one address, " +
            "else the address the route to the core leaves from, any free port); with several cores, the n-th core's is PORT+n-1")
    String link;

    @Option(names = "--edge-id", paramLabel = "N", description = "this edge's id, unique among the core's edges (config edge.id; default random)")
    Integer edgeId;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (every key optional)")
    Path config;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "file holding the HS256 secret (the core's)")
    Path secretFile;

    @Override
    public Integer call() throws Exception
    {
        final EdgeServer edge;
        try
        {
            final ServerConfig settings = ConfigLoader.load(this.config);
            if (core != null)
            {
                settings.edge.core = new java.util.ArrayList<>(core);
            }
            if (port != null)
            {
                settings.server.port = port;
            }
            if (host != null)
            {
                settings.server.host = host;
            }
            if (link != null)
            {
                settings.edge.link = link;
            }
            if (edgeId != null)
            {
                settings.edge.id = edgeId;
            }
            if (secretFile != null)
            {
                settings.auth.secretFile = secretFile.toString();
            }
            // The flag's file wins over the environment: an operator who names a file means it.
            final AuthSecret secret = AuthSecret.resolve(settings.auth, secretFile != null ? Map.of() : System.getenv());
            edge = EdgeServer.start(settings, secret, code -> Runtime.getRuntime().halt(code));
        }
        catch (final ConfigException ex)
        {
            System.err.println("flashsale edge: cannot start:");
            ex.problems().forEach(problem -> System.err.println("  " + problem));
            return 2;
        }
        System.out.println("flashsale edge serving on port " + edge.port() + " (core " + joined(edge.coreEndpoints()) + ", link " +
            joined(edge.linkEndpoints()) + ")");
        return runUntilStopped(edge);
    }

    private static String joined(final List<?> addresses)
    {
        return addresses.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(" "));
    }

    private static int runUntilStopped(final EdgeServer edge) throws InterruptedException
    {
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> {
            System.err.println("flashsale edge: thread " + thread.getName() + " died:");
            ex.printStackTrace();
            if (ex instanceof Error)
            {
                Runtime.getRuntime().halt(EdgeServer.FATAL_EXIT);
            }
        });
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("flashsale edge: stopping");
            edge.close();
            stopped.countDown();
        }, "flashsale-edge-shutdown"));
        stopped.await();
        return 0;
    }
}
