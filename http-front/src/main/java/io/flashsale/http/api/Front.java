package io.flashsale.http.api;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.http.admission.AdmissionController;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.auth.TokenVerifier;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.http.limit.ClientAddress;
import io.flashsale.http.limit.InFlightLimit;
import io.flashsale.http.limit.RateLimiter;

import java.util.function.LongSupplier;

/**
 * The services the handlers share, built once per server. Everything here is thread-safe; the
 * pipeline is null until the core is assembled (recovery finished), which is what readiness means.
 */
public final class Front
{
    final ServerConfig config;
    final boolean demo;
    final LongSupplier clockMillis;
    final TokenVerifier tokens;
    final TokenIssuer issuer;
    final PurchaseKeys purchaseKeys;
    final RateLimiter rateLimiter;
    final ClientAddress clientAddress;
    final InFlightLimit inFlight;
    final AdmissionController admission;
    final FrontMetrics metrics;
    final Responses responses;
    final IdempotentReplies idempotentReplies = new IdempotentReplies();
    final GateBodies gateBodies = new GateBodies();
    final RingReplies ringReplies;
    private volatile CommandPipeline pipeline;

    public Front(
        final ServerConfig config,
        final boolean demo,
        final LongSupplier clockMillis,
        final LongSupplier nanoClock,
        final byte[] secret,
        final FrontMetrics metrics)
    {
        this.config = config;
        this.demo = demo;
        this.clockMillis = clockMillis;
        this.tokens = new TokenVerifier(secret, config.auth.tokenCacheSize, clockMillis);
        this.issuer = new TokenIssuer(secret);
        this.purchaseKeys = new PurchaseKeys(secret);
        this.rateLimiter = new RateLimiter(config.limits);
        this.clientAddress = ClientAddress.trusting(config.limits.trustedProxies);
        this.inFlight = new InFlightLimit(config.limits.maxInFlight);
        this.admission = new AdmissionController(
            config.admission.enabled, config.admission.multiple, config.admission.intervalMillis, nanoClock);
        this.metrics = metrics;
        this.responses = new Responses(metrics);
        this.ringReplies = new RingReplies(inFlight);
        metrics.bindCore(this::pipeline, inFlight);
    }

    /** The ring, or null before the core is assembled. Any thread. */
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

    public AdmissionController admission()
    {
        return admission;
    }
}
