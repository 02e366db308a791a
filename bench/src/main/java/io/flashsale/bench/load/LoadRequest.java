package io.flashsale.bench.load;

import io.netty.handler.codec.http.HttpMethod;

/**
 * One HTTP request a workload wants sent, with the time it was meant to leave. Latency is counted
 * from {@link #intendedNanos}; {@link #sentNanos} is when it did leave (the gap is the generator's
 * or the connection's queueing, and is part of the latency on purpose).
 *
 * <p>Owned by one load loop thread from creation to answer.
 */
public final class LoadRequest
{
    /** The step it belongs to in the report ("purchase", "pay", "request", ...). */
    public final String step;
    public final HttpMethod method;
    public final String path;
    /** The whole {@code Authorization} header value, or null. */
    public final String authorization;
    /** A JSON body, or null for none. */
    public final byte[] body;
    /** The shopper this request is for (an index into the workload's crowd), or -1. */
    public final long shopper;
    /** Workload state carried to the answer (an order id, an attempt count...). */
    public final long tag;
    /** Further request headers as name, value pairs (e.g. Idempotency-Key), or null. */
    public final String[] headers;

    long intendedNanos;
    long sentNanos;

    public LoadRequest(
        final String step,
        final HttpMethod method,
        final String path,
        final String authorization,
        final byte[] body,
        final long shopper,
        final long tag)
    {
        this(step, method, path, authorization, body, shopper, tag, null);
    }

    /** @param headers further headers as name, value pairs, or null */
    public LoadRequest(
        final String step,
        final HttpMethod method,
        final String path,
        final String authorization,
        final byte[] body,
        final long shopper,
        final long tag,
        final String[] headers)
    {
        if (headers != null && headers.length % 2 != 0)
        {
            throw new IllegalArgumentException("headers are name, value pairs");
        }
        this.headers = headers;
        this.step = step;
        this.method = method;
        this.path = path;
        this.authorization = authorization;
        this.body = body;
        this.shopper = shopper;
        this.tag = tag;
    }

    public static LoadRequest get(final String step, final String path)
    {
        return new LoadRequest(step, HttpMethod.GET, path, null, null, -1, 0);
    }

    public long intendedNanos()
    {
        return intendedNanos;
    }

    public long sentNanos()
    {
        return sentNanos;
    }
}
