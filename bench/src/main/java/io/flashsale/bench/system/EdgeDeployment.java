package io.flashsale.bench.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge deployment as real processes on this machine: one core ({@code serve} with its link
 * open for edges at a fixed UDP address), N edges ({@code edge}, each its own HTTP port), and
 * optionally nginx in front of the edges ({@link NginxProcess}). Every process is a
 * {@link ServerProcess} (a child JVM with its configuration file, secret and logs in the
 * deployment's folder), so a drill can kill -9 and restart any of them: the core comes back on
 * the same journal and the same link address, and the edges find it again by themselves.
 *
 * <p>Main thread of the run.
 */
public final class EdgeDeployment implements AutoCloseable
{
    private static final ObjectMapper COPY = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /**
     * The shape of a deployment.
     *
     * @param edges      how many edges
     * @param nginx      whether nginx fronts the edges
     * @param coreJvm    the core's JVM options
     * @param edgeJvm    each edge's JVM options
     * @param nginxHost  the address nginx binds (127.0.0.1; 0.0.0.0 for the demo)
     * @param nginxPort  nginx's port, 0 for a free one
     */
    public record Options(int edges, boolean nginx, List<String> coreJvm, List<String> edgeJvm, String nginxHost, int nginxPort)
    {
        public Options
        {
            if (edges < 1 || edges > 16)
            {
                throw new IllegalArgumentException("edges must be between 1 and 16, was " + edges);
            }
        }

        /** nginx (when asked) on a free loopback port. */
        public Options(final int edges, final boolean nginx, final List<String> coreJvm, final List<String> edgeJvm)
        {
            this(edges, nginx, coreJvm, edgeJvm, "127.0.0.1", 0);
        }
    }

    /** Starts the n-th core of the deployment on its fixed HTTP port. */
    @FunctionalInterface
    private interface CoreLauncher
    {
        ServerProcess launch(int launch, int port, boolean truncateTornTail) throws IOException;
    }

    private final Options options;
    private final byte[] secret;
    private final Path folder;
    private final ServerConfig coreConfig;
    private final ServerConfig edgeConfig;
    private final String link;
    private final List<ServerProcess> edges = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ServerProcess core;
    private NginxProcess nginx;
    private CoreLauncher coreLauncher;
    private int corePort;
    private int coreLaunches;
    private int edgeLaunches;

    private EdgeDeployment(final Options options, final byte[] secret, final Path folder, final ServerConfig coreConfig,
        final ServerConfig edgeConfig, final String link)
    {
        this.options = options;
        this.secret = secret.clone();
        this.folder = folder;
        this.coreConfig = coreConfig;
        this.edgeConfig = edgeConfig;
        this.link = link;
    }

    /**
     * Starts the core, then the edges, then nginx; returns when every edge is ready (it has heard
     * from the core) and nginx listens. The configurations are templates: each process gets its
     * own copy, with its port, and the link addresses filled in.
     *
     * @param coreConfig the core's configuration (journal, limits, admission ...)
     * @param edgeConfig each edge's configuration; when nginx fronts them it is added to their trusted proxies
     */
    public static EdgeDeployment start(final Options options, final ServerConfig coreConfig, final ServerConfig edgeConfig,
        final byte[] secret, final Path folder) throws IOException, InterruptedException
    {
        Files.createDirectories(folder);
        final String link = "127.0.0.1:" + freeUdpPort();
        final EdgeDeployment deployment = new EdgeDeployment(options, secret, folder, copy(coreConfig), copy(edgeConfig), link);
        deployment.coreConfig.edges.link = link;
        deployment.coreLauncher = (launch, port, truncate) -> ServerProcess.launchOnPort(copy(deployment.coreConfig), deployment.secret,
            options.coreJvm(), truncate, folder, String.format("core-%02d", launch), port);
        return deployment.startAll();
    }

    /**
     * The demo as a deployment: the core is {@code ServerMain demo} (its demo sale, the demo token
     * route) with its journal in {@code journal}; nginx also sends /admin/ and /demo/ to it.
     */
    public static EdgeDeployment startDemo(final Options options, final ServerConfig edgeConfig, final byte[] secret, final Path folder,
        final Path journal, final int opensInSeconds) throws IOException, InterruptedException
    {
        Files.createDirectories(folder);
        final String link = "127.0.0.1:" + freeUdpPort();
        final ServerConfig coreConfig = new ServerConfig();
        coreConfig.journal.directory = journal.toString();
        final EdgeDeployment deployment = new EdgeDeployment(options, secret, folder, coreConfig, copy(edgeConfig), link);
        deployment.coreLauncher = (launch, port, truncate) -> ServerProcess.launchDemo(deployment.secret, options.coreJvm(), folder,
            String.format("core-%02d", launch), port, journal, link, opensInSeconds);
        return deployment.startAll();
    }

    private EdgeDeployment startAll() throws IOException, InterruptedException
    {
        edgeConfig.edge.core = java.util.List.of(link);
        if (options.nginx())
        {
            // nginx connects from loopback and names the shopper in X-Forwarded-For.
            edgeConfig.limits.trustedProxies = new ArrayList<>(edgeConfig.limits.trustedProxies);
            edgeConfig.limits.trustedProxies.add("127.0.0.1");
        }
        try
        {
            startCore(false);
            for (int i = 0; i < options.edges(); i++)
            {
                edges.add(launchEdge());
            }
            for (int i = 0; i < options.edges(); i++)
            {
                awaitEdge(i);
            }
            if (options.nginx())
            {
                nginx = NginxProcess.start(new NginxProcess.Layout(options.nginxHost(), options.nginxPort(), edgeAddresses(),
                    "127.0.0.1:" + core.port()), folder.resolve("nginx"));
            }
            return this;
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /** A port that was free a moment ago for UDP on 127.0.0.1: the core's link address for its whole life. */
    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static ServerConfig copy(final ServerConfig config)
    {
        return COPY.convertValue(COPY.valueToTree(config), ServerConfig.class);
    }

    /**
     * Starts the core (again, after a kill: the same journal, link address and HTTP port) and
     * waits until it is ready.
     *
     * @param truncateTornTail cut a torn journal tail, as an operator would after a kill inside a write
     */
    public ServerProcess startCore(final boolean truncateTornTail) throws IOException, InterruptedException
    {
        coreLaunches++;
        if (corePort == 0)
        {
            corePort = ChildProcess.freePort();
        }
        core = coreLauncher.launch(coreLaunches, corePort, truncateTornTail);
        final ServerProcess.Start start = core.awaitReady(READY_TIMEOUT);
        if (!start.ready())
        {
            throw new CoreDidNotStart(start);
        }
        return core;
    }

    /** The core exited before it was ready, with this start's exit code and log tail. */
    public static final class CoreDidNotStart extends IllegalStateException
    {
        private final transient ServerProcess.Start start;

        CoreDidNotStart(final ServerProcess.Start start)
        {
            super("the core exited with code " + start.exitCode() + " before it was ready; its log ends:\n" + start.logTail());
            this.start = start;
        }

        public ServerProcess.Start start()
        {
            return start;
        }
    }

    private ServerProcess launchEdge() throws IOException
    {
        edgeLaunches++;
        return ServerProcess.launchEdge(copy(edgeConfig), secret, options.edgeJvm(), folder, String.format("edge-%02d", edgeLaunches));
    }

    private void awaitEdge(final int index) throws InterruptedException
    {
        final ServerProcess.Start start = edges.get(index).awaitReady(READY_TIMEOUT);
        if (!start.ready())
        {
            throw new IllegalStateException("edge " + index + " exited with code " + start.exitCode() + " before it was ready; its log ends:\n"
                + start.logTail());
        }
    }

    /**
     * Polls each edge directly (nginx would pick one) until it shows sale {@code saleId} with
     * {@code available} units (any number when negative): an edge learns of a sale, and of every
     * change to it, from the core's next push.
     */
    public void awaitSaleOnEdges(final long saleId, final long available) throws IOException, InterruptedException
    {
        for (final ServerProcess edge : edges)
        {
            final HttpRequest view = HttpRequest.newBuilder(URI.create(edge.base() + "/api/sales/" + saleId)).timeout(Duration.ofSeconds(2)).build();
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true)
            {
                final HttpResponse<String> answer = http.send(view, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && (available < 0 || COPY.readTree(answer.body()).path("available").asLong(-1) == available))
                {
                    break;
                }
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("edge " + edge.base() + " does not show sale " + saleId
                        + (available < 0 ? "" : " with " + available + " available") + " after 10 s: " + answer.statusCode() + " " + answer.body());
                }
                Thread.sleep(5);
            }
        }
    }

    /** SIGKILL to the core; waits for it to die. The edges keep running. */
    public void killCore() throws InterruptedException
    {
        core.kill9();
    }

    /** SIGKILL to edge {@code index}; waits for it to die. nginx still lists it. */
    public void killEdge(final int index) throws InterruptedException
    {
        edges.get(index).kill9();
    }

    /** Starts edge {@code index} again, on a new port (nginx is not told: a dead edge stays out of its rotation). */
    public ServerProcess restartEdge(final int index) throws IOException, InterruptedException
    {
        edges.set(index, launchEdge());
        awaitEdge(index);
        return edges.get(index);
    }

    /** The configuration each start of the core copies: change it (the journal's sync, say) before {@link #startCore}. */
    public ServerConfig coreConfig()
    {
        return coreConfig;
    }

    public ServerProcess core()
    {
        return core;
    }

    public List<ServerProcess> edges()
    {
        return List.copyOf(edges);
    }

    /** nginx, or null when the deployment has none. */
    public NginxProcess nginx()
    {
        return nginx;
    }

    /** Where shoppers go: nginx's port, or the first edge's without nginx. */
    public int frontPort()
    {
        return nginx != null ? nginx.port() : edges.get(0).port();
    }

    public String frontBase()
    {
        return "http://127.0.0.1:" + frontPort();
    }

    /** The core's link address, HOST:PORT (UDP). */
    public String link()
    {
        return link;
    }

    public Path journal()
    {
        return Path.of(coreConfig.journal.directory);
    }

    public List<String> edgeAddresses()
    {
        return edges.stream().map(edge -> "127.0.0.1:" + edge.port()).toList();
    }

    /** nginx first (no new requests), then the edges, then the core (SIGTERM: it drains its ring). */
    @Override
    public void close()
    {
        if (nginx != null)
        {
            nginx.close();
        }
        edges.forEach(ServerProcess::close);
        if (core != null)
        {
            core.close();
        }
    }
}
