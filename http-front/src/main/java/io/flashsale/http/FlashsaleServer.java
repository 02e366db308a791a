package io.flashsale.http;

import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.http.api.Api;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.http.metrics.FrontMetrics;
import io.flashsale.http.page.PageAssets;
import io.flashsale.http.page.ShopperPageHandler;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.GracefulShutdownHandler;
import org.xnio.Options;

import java.net.InetSocketAddress;

/**
 * The flashsale HTTP server: Undertow in front of the core. {@link #start} binds the port, then
 * assembles the core (recovery), then reports ready; {@link #close} stops taking requests, drains
 * the ring so every accepted command is answered, and stops. When the ring fails ({@link FailFast})
 * the server is not ready at once, and with a {@link ServerEnvironment#processExit} the process
 * ends after a short drain.
 *
 * <p>Start and close from one thread (main, or a test).
 */
public final class FlashsaleServer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(FlashsaleServer.class.getName());
    /** How long a failed core may take to answer what is in flight before the process ends. */
    static final long FAIL_DRAIN_MILLIS = 2_000;

    private final ServerConfig config;
    private final ServerEnvironment environment;
    private final FrontMetrics metrics = new FrontMetrics();
    private final FrontContext front;
    private final TokenIssuer issuer;
    private final PurchaseKeys purchaseKeys;
    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final int port;
    private final byte[] secretBytes;
    private final FailFast failFast;
    private volatile CoreAssembly core;
    private boolean closed;

    private FlashsaleServer(final ServerConfig config, final ServerEnvironment environment, final AuthSecret secret)
    {
        this.config = config;
        this.environment = environment;
        final byte[] key = secret.bytes();
        this.secretBytes = key;
        this.front = new FrontContext()
            .config(config)
            .demo(environment.demo)
            .clocks(environment.clockMillis, environment.nanoClock)
            .secret(key)
            .metrics(metrics)
            .conclude();
        this.issuer = new TokenIssuer(key);
        this.purchaseKeys = new PurchaseKeys(key);
        final int ioThreads = config.server.ioThreads > 0 ? config.server.ioThreads : Runtime.getRuntime().availableProcessors();
        // The shopper page (/, /assets/, /page/current-sale) in front of the API.
        this.graceful = Handlers.gracefulShutdown(new ShopperPageHandler(PageAssets.load(environment.demo), front.bridge(), environment.clockMillis, new Api(front)));
        this.undertow = Undertow.builder()
            .addHttpListener(config.server.port, config.server.host)
            .setIoThreads(ioThreads)
            // Nothing blocks, so worker threads only ever run Undertow's own rare tasks.
            .setWorkerThreads(2)
            .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
            // A backstop only: bodies are counted and refused with 413 by the handlers.
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 1L << 20)
            // Slow clients (slowloris): headers trickled in are cut off, idle connections closed;
            // a trickled body is answered 408 by ReadBody. The connection cap bounds file descriptors:
            // at the limit the server stops accepting and the kernel queues newcomers.
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, config.server.requestParseTimeoutMillis)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, config.server.idleTimeoutMillis)
            // A client that stops reading: a write that makes no progress for this long closes the connection.
            .setSocketOption(Options.WRITE_TIMEOUT, config.server.writeTimeoutMillis)
            .setSocketOption(Options.CONNECTION_HIGH_WATER, config.server.maxConnections)
            .setSocketOption(Options.CONNECTION_LOW_WATER, Math.max(1, config.server.maxConnections * 9 / 10))
            .setHandler(graceful)
            .build();
        this.failFast = new FailFast(FAIL_DRAIN_MILLIS, this::ringDrained, this::finishAnswers, environment.processExit);
        undertow.start();
        this.port = ((InetSocketAddress)undertow.getListenerInfo().get(0).getAddress()).getPort();
        LOG.log(System.Logger.Level.INFO, "listening on " + config.server.host + ":" + port + " (JWT secret from " + secret.source() + ")");
    }

    /** Binds, assembles the core, and returns a ready server. */
    public static FlashsaleServer start(final ServerConfig config)
    {
        return start(config, new ServerEnvironment());
    }

    public static FlashsaleServer start(final ServerConfig config, final ServerEnvironment environment)
    {
        final FlashsaleServer server = bind(config, environment);
        try
        {
            server.assembleCore();
        }
        catch (final RuntimeException ex)
        {
            server.close();
            throw ex;
        }
        return server;
    }

    /**
     * Validates the configuration, finds the secret and binds the port. The server answers health
     * checks (not ready) and 503 on the API until {@link #assembleCore()}.
     *
     * @throws io.flashsale.http.config.ConfigException when the configuration or the secret is unusable
     */
    public static FlashsaleServer bind(final ServerConfig config, final ServerEnvironment environment)
    {
        config.validate();
        final AuthSecret secret = environment.secret != null ? environment.secret : AuthSecret.resolve(config.auth, environment.variables);
        return new FlashsaleServer(config, environment, secret);
    }

    /**
     * Recovers the core (newest snapshot, then the journal after it), starts the ring and opens the
     * API: from here on the server is ready.
     */
    public synchronized void assembleCore()
    {
        if (core != null)
        {
            return;
        }
        core = CoreAssembly.open(config, secretBytes, environment.clockMillis, metrics, engine -> {
            final int remembered = front.recovered(engine);
            if (remembered > 0)
            {
                LOG.log(System.Logger.Level.INFO, "remembered the original answers of " + remembered + " idempotent reservations");
            }
        }, failFast, environment.pipelineTweaks);
        final io.flashsale.http.replication.ReplicationRole role = core.replicationRole().promotableBy(this::promote);
        role.registerGauges(metrics);
        front.replicationReady(role);
        front.coreReady(core.pipeline());
        LOG.log(System.Logger.Level.INFO, "ready on port " + port);
    }

    /** Promotes this standby (see {@link CoreAssembly#promote()}); from its return on, the front takes writes. */
    private synchronized CoreAssembly.Promotion promote()
    {
        final CoreAssembly.Promotion promotion = core.promote();
        front.replicationReady(core.replicationRole());
        return promotion;
    }

    public int port()
    {
        return port;
    }

    /** Ready once the core is assembled, until it stops taking commands (closing, or failed). */
    public boolean isReady()
    {
        final CommandPipeline pipeline = front.pipeline();
        return pipeline != null && pipeline.isAccepting() && front.replication().notReadyReason() == null;
    }

    /**
     * A thread outside the ring died of something the server cannot carry on after (an
     * {@link Error}): fails the core as a ring stage's failure would. Any thread.
     */
    public void failCore(final String where, final Throwable cause)
    {
        final CoreAssembly assembled = core;
        if (assembled != null)
        {
            assembled.pipeline().fail(where, cause);
        }
    }

    private boolean ringDrained()
    {
        final CoreAssembly assembled = core;
        return assembled == null || assembled.pipeline().remainingCapacity() == assembled.pipeline().ringSize();
    }

    /** After a failure: refuses new requests and waits, within the bound, for the answers being written. */
    private void finishAnswers(final long millis)
    {
        graceful.shutdown();
        try
        {
            graceful.awaitShutdown(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The ring, for the demo's setup and for tests; null before the core is assembled. */
    public CommandPipeline pipeline()
    {
        return front.pipeline();
    }

    /** Signs tokens with this server's secret (demo, tests, benchmarks). */
    public TokenIssuer tokenIssuer()
    {
        return issuer;
    }

    public PurchaseKeys purchaseKeys()
    {
        return purchaseKeys;
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        failFast.close();
        graceful.shutdown();
        if (core != null)
        {
            core.close();
        }
        try
        {
            graceful.awaitShutdown(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
        LOG.log(System.Logger.Level.INFO, "stopped");
    }
}
