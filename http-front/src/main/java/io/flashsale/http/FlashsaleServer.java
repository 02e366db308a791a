package io.flashsale.http;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.http.admission.AdmissionController;
import io.flashsale.http.api.Api;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.http.link.CoreLink;
import io.flashsale.http.metrics.FrontMetrics;
import io.flashsale.http.page.PageAssets;
import io.flashsale.http.page.ShopperPageHandler;
import io.flashsale.http.reply.Problem;
import io.flashsale.journal.link.LinkEndpoint;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.GracefulShutdownHandler;

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
    private final AdmissionController admission;
    private final byte[] secretBytes;
    private final TokenIssuer issuer;
    private final PurchaseKeys purchaseKeys;
    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final int port;
    private final FailFast failFast;
    private volatile CoreAssembly core;
    private CoreLink edgeLink;
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
        // Computed here from this front's draws and the edges' reports, pushed to the edges.
        this.admission = front.centralAdmission();
        this.issuer = new TokenIssuer(key);
        this.purchaseKeys = new PurchaseKeys(key);
        // The shopper page (/, /assets/, /page/current-sale) in front of the API.
        this.graceful = Handlers.gracefulShutdown(new ShopperPageHandler(PageAssets.load(environment.demo), front, new Api(front)));
        this.undertow = HttpListener.build(config, graceful);
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
        front.journalSpace(core.spaceGuard());
        metrics.bindJournalSpace(core.spaceGuard());
        final io.flashsale.http.replication.ReplicationRole role = core.replicationRole().promotableBy(this::promote);
        core.automaticPromotion().promoteWith(this::promote);
        final CoreAssembly assembled = core;
        assembled.onRoleChange(() -> front.replicationReady(assembled.replicationRole()));
        role.registerGauges(metrics);
        front.replicationReady(role);
        if (!config.edges.link.isBlank())
        {
            // Before the front says ready: a ready core is one its edges can reach.
            // A standby opens it too: it serves its own views and answers commands 503 standby until promoted.
            edgeLink = CoreLink.open(config.edges.link, secretBytes, core.pipeline(), admission, this::writeRefusal, front::replication, metrics);
        }
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

    /** What the write gates of this core's own front would refuse a state change with, or null. Any thread. */
    private Outcome writeRefusal()
    {
        if (front.journalSpace().engaged())
        {
            return Outcome.JOURNAL_FULL;
        }
        final Problem refusal = front.replication().writeRefusal();
        if (refusal == null)
        {
            return null;
        }
        return refusal == Problem.STANDBY ? Outcome.STANDBY : Outcome.REPLICATION_STALLED;
    }

    /** The address edges join (edges.link, its port resolved), or null when the link is off. */
    public LinkEndpoint edgeLink()
    {
        return edgeLink == null ? null : edgeLink.endpoint();
    }

    /**
     * Ready once the core is assembled, until it stops taking commands (closing, or failed), and
     * not while the journal's disk is nearly full or replication says it cannot acknowledge.
     */
    public boolean isReady()
    {
        final CommandPipeline pipeline = front.pipeline();
        return pipeline != null && pipeline.isAccepting() && !front.journalSpace().engaged()
            && front.replication().notReadyReason() == null;
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
        // A failed primary's standby hears it stepped down before the process ends (within the drain's bound).
        return assembled == null || assembled.pipeline().remainingCapacity() == assembled.pipeline().ringSize() && assembled.stepDownSettled();
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
        try
        {
            if (core != null)
            {
                // Drains the ring first: the edges' commands in it are answered over the still open link.
                core.close();
            }
        }
        finally
        {
            if (edgeLink != null)
            {
                edgeLink.close();
            }
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
