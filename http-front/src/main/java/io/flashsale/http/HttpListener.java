package io.flashsale.http;

import io.flashsale.http.config.ServerConfig;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import org.xnio.Options;

/**
 * The Undertow server every front runs (the single process's, an edge's): one HTTP listener with
 * the server section's limits. Main thread, at start.
 */
public final class HttpListener
{
    private HttpListener()
    {
    }

    /** Built, not started. */
    public static Undertow build(final ServerConfig config, final HttpHandler handler)
    {
        final int ioThreads = config.server.ioThreads > 0 ? config.server.ioThreads : Runtime.getRuntime().availableProcessors();
        return Undertow.builder()
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
            .setHandler(handler)
            .build();
    }
}
