package io.flashsale.bench.system;

import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code scripts/flashsale demo --edges N}: the demo as an edge deployment on this machine. The
 * core ({@code ServerMain demo}, its demo sale and journal) and N edges listen on loopback ports of
 * their own; nginx listens on --port (8080) on every address and is the only public door: the
 * page, the API and the edges behind it, /admin/ and /demo/ to the core. Ctrl-C stops them all
 * (nginx, the edges, then the core, which drains its ring).
 *
 * <p>Main thread; the processes' own logs go to the run's folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"With --edges N: the demo as an edge deployment on this machine: the core (demo mode, a demo sale), N edge",
        "processes and nginx on --port in front of the edges. Prints the page's address. Ctrl-C stops everything.",
        "Without --edges, scripts/flashsale demo runs the single server."})
public final class EdgeDemo implements Callable<Integer>
{
    @Option(names = "--edges", paramLabel = "N", required = true, description = "edge processes behind nginx (1 to 8)")
    int edges;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "nginx's port, the page's (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--journal", paramLabel = "DIR", defaultValue = "./data/journal", description = "the core's journal (default ${DEFAULT-VALUE})")
    Path journal;

    @Option(names = "--opens-in", paramLabel = "SECONDS", defaultValue = "60", description = "seconds until the demo sale opens (default ${DEFAULT-VALUE})")
    int opensIn;

    @Option(names = "--logs", paramLabel = "DIR", defaultValue = "./data/edges-demo", description = "the processes' logs and nginx's files (default ${DEFAULT-VALUE})")
    Path logs;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new EdgeDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (edges < 1 || edges > 8)
        {
            System.err.println("flashsale demo: --edges must be between 1 and 8, was " + edges);
            return 2;
        }
        final String fromEnv = System.getenv(AuthSecret.ENV);
        final byte[] secret = fromEnv == null || fromEnv.isEmpty() ? Secrets.random() : fromEnv.getBytes(StandardCharsets.UTF_8);
        final ServerConfig edge = new ServerConfig();
        final String heap = System.getenv().getOrDefault("FLASHSALE_HEAP", "1g");
        System.out.printf("flashsale demo: starting the core, %d edge(s) and nginx (logs in %s)...%n", edges, logs.toAbsolutePath());
        final EdgeDeployment deployment = EdgeDeployment.startDemo(
            new EdgeDeployment.Options(edges, true, List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"),
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), "0.0.0.0", port),
            edge, secret, logs.toAbsolutePath(), journal.toAbsolutePath(), opensIn);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            System.out.println("flashsale demo: stopping nginx, the edges and the core");
            deployment.close();
            stopped.countDown();
        }, "demo-shutdown"));
        final long saleId = deployment.core().awaitLogNumber("  shopper page:  http://localhost:" + deployment.core().port() + "/?sale=",
            Duration.ofSeconds(30));
        final TokenIssuer tokens = new TokenIssuer(secret);
        final Instant until = Instant.now().plus(Duration.ofHours(12));
        final String base = "http://localhost:" + port;
        System.out.println();
        System.out.printf("flashsale demo is running: nginx on port %d -> %d edge(s) %s -> core 127.0.0.1:%d (link udp %s)%n",
            port, edges, deployment.edgeAddresses(), deployment.core().port(), deployment.link());
        System.out.println("  shopper page:  " + base + "/?sale=" + saleId + "#token=" + tokens.issue("alice", Role.SHOPPER, until)
            + "   (signed in as alice)");
        System.out.println("  demo sale:     " + base + "/api/sales/" + saleId + "  (100 units, opens in about " + opensIn + " s)");
        final String admin = tokens.issue("demo-admin", Role.ADMIN, until);
        System.out.println("  admin view:    curl -H 'Authorization: Bearer " + admin + "' " + base + "/admin/sales/" + saleId);
        System.out.println("  more shoppers: curl -X POST -H 'Content-Type: application/json' -d '{\"name\":\"bob\"}' " + base
            + "/demo/token   then open " + base + "/?sale=" + saleId + "#token=TOKEN");
        System.out.println("  Ctrl-C stops nginx, the edges and the core.");
        System.out.println();
        stopped.await();
        return 0;
    }
}
