package io.flashsale.http;

import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.http.config.AuthSecret;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * What a server takes from its surroundings rather than from the configuration: clocks, the
 * process environment, demo mode, how to end the process, and the hooks tests use to move time or
 * slow the core down.
 * The defaults are production's. Built on the main thread before start.
 */
public final class ServerEnvironment
{
    LongSupplier clockMillis = System::currentTimeMillis;
    LongSupplier nanoClock = System::nanoTime;
    Map<String, String> variables = System.getenv();
    AuthSecret secret;
    boolean demo;
    Consumer<PipelineConfig> pipelineTweaks = config -> { };
    IntConsumer processExit;

    /** The server's wall clock in epoch milliseconds: gates, command timestamps, token expiry, /api/time. */
    public ServerEnvironment clockMillis(final LongSupplier clock)
    {
        this.clockMillis = clock;
        return this;
    }

    /** The monotonic clock of the admission controller's windows. */
    public ServerEnvironment nanoClock(final LongSupplier clock)
    {
        this.nanoClock = clock;
        return this;
    }

    /** Environment variables (FLASHSALE_AUTH_SECRET). */
    public ServerEnvironment variables(final Map<String, String> environment)
    {
        this.variables = environment;
        return this;
    }

    /** A secret chosen by the caller; wins over the environment and the configuration. */
    public ServerEnvironment secret(final AuthSecret authSecret)
    {
        this.secret = authSecret;
        return this;
    }

    /** Demo mode adds the token-minting endpoint and the home page. */
    public ServerEnvironment demo(final boolean on)
    {
        this.demo = on;
        return this;
    }

    /**
     * How the process ends when the core fails (see {@link FailFast}): the server's main passes
     * {@link Runtime#halt}. Without one (the default: embedded servers, tests) a failed core leaves
     * the process up and not ready.
     */
    public ServerEnvironment processExit(final IntConsumer exit)
    {
        this.processExit = exit;
        return this;
    }

    public ServerEnvironment pipelineTweaks(final Consumer<PipelineConfig> tweaks)
    {
        this.pipelineTweaks = tweaks;
        return this;
    }
}
