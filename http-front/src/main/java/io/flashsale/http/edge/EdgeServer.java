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
 * routes) whose core is another process, reached over the link. Wired here in one place:
 *
 * <pre>
 *   HTTP ──> ShopperPageHandler ──> Api (auth, gates, limits, {@link EdgeAdmission} draw, bodies)
 *        ──> {@link LinkBridge} ──> LinkClient ──UDP──> core ──> outcome ──> LinkBridge ──> IO thread ──> answer
 *   core pushes: views ──> LinkClient.views() (the gates'), p ──> EdgeAdmission; clock ──> /api/time, gates
 *   every 100 ms: EdgeAdmission's attempts per sale ──> core
 * </pre>
 *
 * Everything a shopper can get wrong is answered here, on the core's clock; only admitted
 * purchases, pay, cancel and order reads cross the link. Nothing is kept that a restart would
 * lose: orders live in the core's journal.
 *
 * <p>Threads: Undertow's IO threads, the link client's agent, its media driver's. Start and close
 * from one thread (main, or a test).
 */
public final class EdgeServer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(EdgeServer.class.getName());
    /** The exit code of an edge whose thread died of an Error (as a failed ring's core: 70). */
    public static final int FATAL_EXIT = 70;

    private final FrontMetrics metrics = new FrontMetrics();
    private final LinkEndpoint core;
    private final LinkBridge bridge;
    private final LinkClient client;
    private final GracefulShutdownHandler graceful;
    private final Undertow undertow;
    private final int port;
    private boolean closed;

    private EdgeServer(final ServerConfig config, final AuthSecret secret, final IntConsumer processExit)
    {
        core = LinkEndpoint.parse(config.edge.core);
        final byte[] key = secret.bytes();
        final EdgeAdmission admission = new EdgeAdmission(config.admission.enabled);
        bridge = new LinkBridge(core);
        try
        {
            client = LinkClient.launch(new LinkClient.Config()
                .core(core)
                .endpoint(ownEndpoint(config, core))
                .silenceIntervals(config.edge.silenceIntervals)
                // Twice as often as the 100 ms: a jump in demand reaches the core's p sooner.
                .reportInterval(50, TimeUnit.MILLISECONDS)
                .edgeId(config.edge.id > 0 ? config.edge.id : ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE))
                .secret(key)
                .reporter(admission)
                .admission(admission)
                .errorHandler(failure -> {
                    LOG.log(System.Logger.Level.ERROR, "the link to the core failed", failure);
                    // An Error (out of memory) leaves the link in no known state; a stateless edge just ends.
                    if (failure instanceof Error && processExit != null)
                    {
                        processExit.accept(FATAL_EXIT);
                    }
                }), bridge);
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
                .clocks(client::coreTimeMillis, System::nanoTime)
                .secret(key)
                .metrics(metrics)
                .bridge(bridge)
                .admission(admission)
                .conclude();
            bridge.attach(client, front.inFlight());
            admission.countOnline(front.onlineShoppers());
            registerMetrics();
            graceful = Handlers.gracefulShutdown(new ShopperPageHandler(PageAssets.load(false), front, new Api(front)));
            undertow = HttpListener.build(config, graceful);
            undertow.start();
        }
        catch (final RuntimeException ex)
        {
            client.close();
            throw ex;
        }
        port = ((InetSocketAddress)undertow.getListenerInfo().get(0).getAddress()).getPort();
        LOG.log(System.Logger.Level.INFO, "edge listening on " + config.server.host + ":" + port + ", core " + core +
            ", link " + client.endpoint() + " (secret from " + secret.source() + ")");
    }

    /**
     * Validates the configuration (edge.core required) and starts: HTTP bound, link looking for the
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
        if (config.edge.core.isBlank())
        {
            throw new ConfigException(List.of("edge.core: the core's link address (HOST:PORT) is required"));
        }
        return new EdgeServer(config, secret, processExit);
    }

    /**
     * This edge's UDP address: edge.link when set; otherwise the HTTP host when it names one
     * address, else the local address the route to the core leaves from (the core must reach it),
     * on any free port.
     */
    static LinkEndpoint ownEndpoint(final ServerConfig config, final LinkEndpoint core)
    {
        if (!config.edge.link.isBlank())
        {
            return LinkEndpoint.parse(config.edge.link);
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
        metrics.gauge("flashsale.link.core.available", "1 while the core is heard (this edge admits), else 0",
            () -> client.isCoreAvailable() ? 1 : 0);
        metrics.gauge("flashsale.link.commands.inflight", "Commands sent to the core and not answered yet", client::commandsInFlight);
        metrics.counter("flashsale.link.commands.sent", "Commands sent to the core", client::commandsSent);
        metrics.counter("flashsale.link.commands.not.sent", "Commands refused at once: core out of reach or too many in flight",
            client::commandsNotSent);
        metrics.counter("flashsale.link.outcomes.received", "Outcomes received from the core", client::outcomesReceived);
        metrics.counter("flashsale.link.outcomes.unknown", "Commands whose outcome could not be known (link lost, timed out)",
            client::outcomesUnknown);
        metrics.counter("flashsale.link.joins", "Times this edge joined its core", client::joins);
        metrics.counter("flashsale.link.losses", "Times this edge lost its core", client::linkLosses);
        metrics.gauge("flashsale.link.clock.offset.micros", "The core's clock minus this edge's, as estimated",
            () -> client.clockOffset().offsetNanos() / 1000);
    }

    public int port()
    {
        return port;
    }

    /** The core's link address this edge joins. */
    public LinkEndpoint coreEndpoint()
    {
        return core;
    }

    /** This edge's bound link address, as announced to the core. */
    public LinkEndpoint linkEndpoint()
    {
        return client.endpoint();
    }

    /** True while the core is heard: the edge is ready. Any thread. */
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
        client.close();
        undertow.stop();
        LOG.log(System.Logger.Level.INFO, "edge stopped");
    }
}
