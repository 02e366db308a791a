package io.flashsale.http.api;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.http.admission.Admission;
import io.flashsale.http.admission.AdmissionController;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.auth.TokenVerifier;
import io.flashsale.http.bridge.CoreBridge;
import io.flashsale.http.bridge.RingBridge;
import io.flashsale.http.bridge.RingReplies;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.http.filter.GateRefusals;
import io.flashsale.http.limit.ClientAddress;
import io.flashsale.http.limit.InFlightLimit;
import io.flashsale.http.limit.RateLimiter;
import io.flashsale.http.metrics.FrontMetrics;
import io.flashsale.http.reply.IdempotentReplies;
import io.flashsale.http.reply.ResponseWriter;

import java.util.function.LongSupplier;

/**
 * The services every handler of the front shares, built once per server, in the manner of Aeron's
 * {@code Context}: set what the server gives (configuration, clocks, secret, metrics), then
 * {@link #conclude()} checks it and builds the rest; from then on the accessors hand out the same
 * objects for the life of the server and the setters refuse.
 *
 * <pre>{@code
 * FrontContext context = new FrontContext()
 *     .config(config).demo(false).clocks(clockMillis, nanoClock).secret(secret).metrics(metrics)
 *     .conclude();
 * }</pre>
 *
 * <p>Set up and conclude on one thread (the server's start). After that every service is
 * thread-safe and may be used from any thread. The core comes later ({@link #coreReady}, once
 * recovery has finished); until then the bridge says it is not ready.
 */
public final class FrontContext
{
    private boolean concluded;

    private ServerConfig config;
    private boolean demo;
    private boolean adminRoutes = true;
    private LongSupplier clockMillis;
    private LongSupplier nanoClock;
    private byte[] secret;
    private FrontMetrics metrics;
    private CoreBridge bridge;

    private TokenVerifier tokens;
    private TokenIssuer issuer;
    private PurchaseKeys purchaseKeys;
    private RateLimiter rateLimiter;
    private ClientAddress clientAddress;
    private InFlightLimit inFlight;
    private Admission admission;
    private ResponseWriter responses;
    private IdempotentReplies idempotentReplies;
    private GateRefusals gateRefusals;
    private volatile CommandPipeline pipeline;

    /** The server's configuration; required. */
    public FrontContext config(final ServerConfig config)
    {
        checkOpen();
        this.config = config;
        return this;
    }

    /** Demo mode adds the demo routes; false unless set. */
    public FrontContext demo(final boolean demo)
    {
        checkOpen();
        this.demo = demo;
        return this;
    }

    /** False on an edge: the admin routes are the core's, and an edge answers them 404. True unless set. */
    public FrontContext adminRoutes(final boolean adminRoutes)
    {
        checkOpen();
        this.adminRoutes = adminRoutes;
        return this;
    }

    /** The wall clock (epoch millis) the front answers and gates by, and the clock admission measures rates with; required. */
    public FrontContext clocks(final LongSupplier clockMillis, final LongSupplier nanoClock)
    {
        checkOpen();
        this.clockMillis = clockMillis;
        this.nanoClock = nanoClock;
        return this;
    }

    /** The secret tokens and purchase keys are signed with; required. */
    public FrontContext secret(final byte[] secret)
    {
        checkOpen();
        this.secret = secret;
        return this;
    }

    /** Where requests are counted; required. */
    public FrontContext metrics(final FrontMetrics metrics)
    {
        checkOpen();
        this.metrics = metrics;
        return this;
    }

    /**
     * The way commands reach the core. When not set, {@link #conclude()} builds a {@link RingBridge}
     * onto the local ring handed over by {@link #coreReady}.
     */
    public FrontContext bridge(final CoreBridge bridge)
    {
        checkOpen();
        this.bridge = bridge;
        return this;
    }

    /**
     * Where the admission draw's p comes from. When not set, {@link #conclude()} builds an
     * {@link AdmissionController} that computes p from what this process sees.
     */
    public FrontContext admission(final Admission admission)
    {
        checkOpen();
        this.admission = admission;
        return this;
    }

    /**
     * Checks that everything required is set and builds the shared services.
     *
     * @return this context, now read-only
     * @throws IllegalStateException naming what is missing, or when concluded before
     */
    public FrontContext conclude()
    {
        checkOpen();
        require(config, "config");
        require(clockMillis, "clocks");
        require(nanoClock, "clocks");
        require(secret, "secret");
        require(metrics, "metrics");
        tokens = new TokenVerifier(secret, config.auth.tokenCacheSize, clockMillis);
        issuer = new TokenIssuer(secret);
        purchaseKeys = new PurchaseKeys(secret);
        rateLimiter = new RateLimiter(config.limits);
        clientAddress = ClientAddress.trusting(config.limits.trustedProxies);
        inFlight = new InFlightLimit(config.limits.maxInFlight);
        if (admission == null)
        {
            admission = new AdmissionController(
                config.admission.enabled, config.admission.multiple, config.admission.intervalMillis, nanoClock);
        }
        responses = new ResponseWriter(metrics);
        idempotentReplies = new IdempotentReplies();
        gateRefusals = new GateRefusals();
        if (bridge == null)
        {
            bridge = new RingBridge(this::pipeline, new RingReplies(inFlight));
            metrics.bindRing(this::pipeline);
        }
        metrics.bindInFlight(inFlight);
        concluded = true;
        return this;
    }

    /**
     * The local ring, or null before the core is assembled: for the server and its metrics. The
     * handlers reach the core only through {@link #bridge()}. Any thread.
     */
    public CommandPipeline pipeline()
    {
        return pipeline;
    }

    /**
     * Takes over what the recovered engine remembers that the front must answer by itself: the
     * original answers of reservations made with an Idempotency-Key. Before the ring starts.
     *
     * @return reservations remembered
     */
    public int recovered(final SaleEngine engine)
    {
        return idempotentReplies.recover(engine.orders(), clockMillis.getAsLong());
    }

    /** Makes the core available: from here on the server is ready. */
    public void coreReady(final CommandPipeline pipeline)
    {
        this.pipeline = pipeline;
    }

    public ServerConfig config()
    {
        return config;
    }

    public boolean demo()
    {
        return demo;
    }

    public boolean adminRoutes()
    {
        return adminRoutes;
    }

    /** The wall clock, epoch milliseconds. */
    public LongSupplier clockMillis()
    {
        return clockMillis;
    }

    public FrontMetrics metrics()
    {
        return metrics;
    }

    /** The handlers' way to the core: readiness, the published sales, the commands. */
    public CoreBridge bridge()
    {
        return bridge;
    }

    public TokenVerifier tokens()
    {
        return tokens;
    }

    public TokenIssuer issuer()
    {
        return issuer;
    }

    public PurchaseKeys purchaseKeys()
    {
        return purchaseKeys;
    }

    public RateLimiter rateLimiter()
    {
        return rateLimiter;
    }

    public ClientAddress clientAddress()
    {
        return clientAddress;
    }

    /** The cap on requests waiting for the core; a publishing handler takes a slot, the bridge frees it. */
    public InFlightLimit inFlight()
    {
        return inFlight;
    }

    public Admission admission()
    {
        return admission;
    }

    /** Writes every answer and counts it. */
    public ResponseWriter responses()
    {
        return responses;
    }

    public IdempotentReplies idempotentReplies()
    {
        return idempotentReplies;
    }

    /** The sale gate's prebuilt refusals, shared by every chain that has a sale gate. */
    public GateRefusals gateRefusals()
    {
        return gateRefusals;
    }

    private void checkOpen()
    {
        if (concluded)
        {
            throw new IllegalStateException("the front context is concluded; it cannot change any more");
        }
    }

    private static void require(final Object value, final String name)
    {
        if (value == null)
        {
            throw new IllegalStateException("the front context needs " + name + " before conclude()");
        }
    }
}
