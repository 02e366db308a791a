package io.flashsale.http.edge;

import io.flashsale.http.HttpListener;
import io.flashsale.http.api.Api;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ConfigException;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.http.metrics.FrontMetrics;
import io.flashsale.http.page.PageAssets;
import io.flashsale.http.page.ShopperPageHandler;
import io.flashsale.journal.link.LinkClient;
import io.flashsale.journal.link.LinkEndpoint;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.GracefulShutdownHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * An edge: a stateless Undertow front (the same public routes as the single process, no admin
 * routes) whose core is another process, reached over the link. Given several cores (a primary and
 * its standbys) it links to each and follows the primary of the highest epoch ({@link EdgeCores},
 * {@link CoreChoice}). Wired here in one place:
 *
 * <pre>
 *   HTTP ──> ShopperPageHandler ──> Api (auth, gates, limits, {@link EdgeAdmission} draw, bodies)
 *        ──> {@link LinkBridge} ──> followed core's LinkClient ──UDP──> core ──> outcome ──> LinkBridge ──> IO thread ──> answer
 *   every core's heartbeat: role, epoch ──> {@link EdgeCores} (which core is followed)
 *   followed core pushes: views ──> LinkClient.views() (the gates'), p ──> EdgeAdmission; clock ──> /api/time, gates
 *   every 50 ms: EdgeAdmission's attempts per sale ──> followed core
 * </pre>
 *
 * Everything a shopper can get wrong is answered here, on the core's clock; only admitted
 * purchases, pay, cancel and order reads cross the link. Nothing is kept that a restart would
 * lose: orders live in the core's journal.
 *
 * <p>Threads: Undertow's IO threads, each core's link client agent and its media driver's. Start
 * and close from one thread (main, or a test).
 */
public final class EdgeServer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(EdgeServer.class.getName());
    /** The exit code of an edge whose thread died of an Error (as a failed ring's core: 70). */
    public static final int FATAL_EXIT = 70;

    private final FrontMetrics metrics = new FrontMetrics();
    private final EdgeCores cores;
    private final LinkBridge bridge;
    private final GracefulShutdownHandler graceful;
    private final Undertow undertow;
    private final int port;
    private boolean closed;

    private EdgeServer(final ServerConfig config, final AuthSecret secret, final IntConsumer processExit)
    {
        final List<LinkEndpoint> coreEndpoints = config.edge.core.stream().map(LinkEndpoint::parse).toList();
        final byte[] key = secret.bytes();
        final EdgeAdmission admission = new EdgeAdmission(config.admission.enabled);
        final int edgeId = config.edge.id > 0 ? config.edge.id : ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        bridge = new LinkBridge();
        cores = new EdgeCores(coreEndpoints, admission);
        try
        {
            cores.launch((index, tap) -> LinkClient.launch(new LinkClient.Config()
                .core(coreEndpoints.get(index))
                .endpoint(ownEndpoint(config, coreEndpoints.get(index), index))
                .silenceIntervals(config.edge.silenceIntervals)
                // Twice as often as the 100 ms: a jump in demand reaches the core's p sooner.
                .reportInterval(50, TimeUnit.MILLISECONDS)
                .edgeId(edgeId)
                .secret(key)
                .reporter(tap)
                .admission(tap)
                .standing(tap)
                .errorHandler(failure -> {
                    LOG.log(System.Logger.Level.ERROR, "the link to the core " + coreEndpoints.get(index) + " failed", failure);
                    // An Error (out of memory) leaves the link in no known state; a stateless edge just ends.
                    if (failure instanceof Error && processExit != null)
                    {
                        processExit.accept(FATAL_EXIT);
                    }
                }), bridge));
        }
        catch (final RuntimeException ex)
        {
            throw new ConfigException(List.of("edge.link: cannot open this edge's link: " + ex.getMessage()));
        }
        try
        {
            final FrontContext front = new FrontContext()
                .config(config)
                .adminRoutes(false)
                .clocks(bridge::coreTimeMillis, System::nanoTime)
                .secret(key)
                .metrics(metrics)
                .bridge(bridge)
                .admission(admission)
                .conclude();
            bridge.attach(cores, front.inFlight());
            admission.countOnline(front.onlineShoppers());
            registerMetrics();
            graceful = Handlers.gracefulShutdown(new ShopperPageHandler(PageAssets.load(false), front, new Api(front)));
            undertow = HttpListener.build(config, graceful);
            undertow.start();
        }
        catch (final RuntimeException ex)
        {
            cores.close();
            throw ex;
        }
        port = ((InetSocketAddress)undertow.getListenerInfo().get(0).getAddress()).getPort();
        LOG.log(System.Logger.Level.INFO, "edge listening on " + config.server.host + ":" + port + ", cores " + coreEndpoints +
            ", link " + linkEndpoints() + " (secret from " + secret.source() + ")");
    }

    /**
     * Validates the configuration (edge.core: one address or more) and starts: HTTP bound, link looking for the
     * core. Not ready until the core answers.
     *
     * @throws ConfigException when the configuration, the secret or the link address is unusable
     */
    public static EdgeServer start(final ServerConfig config, final AuthSecret secret)
    {
        return start(config, secret, null);
    }

    /**
     * @param processExit how the process ends when the link's thread dies of an {@link Error}
     *                    (exit code 70); null: it stays up, not ready (embedded edges, tests)
     */
    public static EdgeServer start(final ServerConfig config, final AuthSecret secret, final IntConsumer processExit)
    {
        config.validate();
        if (config.edge.core.isEmpty())
        {
            throw new ConfigException(List.of("edge.core: the core's link address (HOST:PORT) is required; give a primary and its standbys to follow a failover"));
        }
        return new EdgeServer(config, secret, processExit);
    }

    /**
     * This edge's UDP address towards core {@code index}: edge.link when set (its port plus the
     * index, each core's link having an address of its own; port 0 stays any free port); otherwise
     * the HTTP host when it names one address, else the local address the route to the core leaves
     * from (the core must reach it), on any free port.
     */
    static LinkEndpoint ownEndpoint(final ServerConfig config, final LinkEndpoint core, final int index)
    {
        if (!config.edge.link.isBlank())
        {
            final LinkEndpoint link = LinkEndpoint.parse(config.edge.link);
            return link.port() == 0 ? link : new LinkEndpoint(link.host(), link.port() + index);
        }
        try
        {
            final InetAddress host = InetAddress.getByName(config.server.host);
            if (!host.isAnyLocalAddress())
            {
                return new LinkEndpoint(host.getHostAddress(), 0);
            }
            try (DatagramSocket probe = new DatagramSocket())
            {
                probe.connect(new InetSocketAddress(core.host(), core.port()));
                return new LinkEndpoint(probe.getLocalAddress().getHostAddress(), 0);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot tell this edge's own link address; set edge.link (--link)", ex);
        }
    }

    private void registerMetrics()
    {
        metrics.gauge("flashsale.link.core.available", "1 while a core is heard as the primary of the highest epoch (this edge admits), else 0",
            () -> bridge.isReady() ? 1 : 0);
        metrics.gauge("flashsale.link.cores.heard", "Cores (of those given) heard now, primary or standby", () -> (long)cores.alive());
        metrics.gauge("flashsale.link.primary.epoch", "The highest epoch any core has said (the followed primary's); -1 before any",
            cores::highestEpoch);
        metrics.counter("flashsale.link.core.switches", "Times this edge moved its commands to another core (a promotion followed)",
            cores::switches);
        metrics.gauge("flashsale.link.commands.inflight", "Commands sent to the core and not answered yet",
            () -> cores.sum(LinkClient::commandsInFlight));
        metrics.counter("flashsale.link.commands.sent", "Commands sent to the core", () -> cores.sum(LinkClient::commandsSent));
        metrics.counter("flashsale.link.commands.not.sent", "Commands refused at once: core out of reach or too many in flight",
            () -> cores.sum(LinkClient::commandsNotSent));
        metrics.counter("flashsale.link.outcomes.received", "Outcomes received from the core", () -> cores.sum(LinkClient::outcomesReceived));
        metrics.counter("flashsale.link.outcomes.unknown", "Commands whose outcome could not be known (link lost, timed out)",
            () -> cores.sum(LinkClient::outcomesUnknown));
        metrics.counter("flashsale.link.joins", "Times this edge joined a core", () -> cores.sum(LinkClient::joins));
        metrics.counter("flashsale.link.losses", "Times this edge lost a core", () -> cores.sum(LinkClient::linkLosses));
        metrics.gauge("flashsale.link.clock.offset.micros", "The followed core's clock minus this edge's, as estimated",
            () -> cores.viewClient().clockOffset().offsetNanos() / 1000);
    }

    public int port()
    {
        return port;
    }

    /** The link addresses of the cores this edge was given. */
    public List<LinkEndpoint> coreEndpoints()
    {
        return cores.endpoints();
    }

    /** This edge's bound link addresses, one per core, as announced to each. */
    public List<LinkEndpoint> linkEndpoints()
    {
        final List<LinkEndpoint> bound = new java.util.ArrayList<>();
        for (int i = 0; i < cores.count(); i++)
        {
            bound.add(cores.client(i).endpoint());
        }
        return bound;
    }

    /** True while a core is heard as the primary of the highest epoch: the edge is ready. Any thread. */
    public boolean isReady()
    {
        return bridge.isAccepting();
    }

    /** Refuses new commands, lets answers in flight be written (at most 5 s), then closes the link and HTTP. */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        bridge.closing();
        graceful.shutdown();
        try
        {
            graceful.awaitShutdown(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        cores.close();
        undertow.stop();
        LOG.log(System.Logger.Level.INFO, "edge stopped");
    }
}
