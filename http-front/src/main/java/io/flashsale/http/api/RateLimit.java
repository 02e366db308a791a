package io.flashsale.http.api;

import io.flashsale.http.limit.RateLimiter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Filter 3: the per-IP and per-shopper token buckets; 429 with Retry-After when empty. The IP is the
 * peer's, or behind a trusted proxy the client's ({@link io.flashsale.http.limit.ClientAddress}). IO threads.
 */
final class RateLimit implements HttpHandler
{
    private final Front front;
    private final HttpHandler next;

    RateLimit(final Front front, final HttpHandler next)
    {
        this.front = front;
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final Call call = exchange.getAttachment(Call.KEY);
        final InetSocketAddress peer = exchange.getSourceAddress();
        final InetAddress client = front.clientAddress.of(peer.getAddress(), exchange.getRequestHeaders().getFirst(Headers.X_FORWARDED_FOR));
        final long verdict = front.rateLimiter.tryAcquire(call.principal.userId(), client);
        if (verdict != RateLimiter.ALLOWED)
        {
            final boolean byIp = verdict < 0;
            front.metrics.rateLimited(byIp);
            front.responses.problem(call, Problem.RATE_LIMITED,
                byIp ? "too many requests from this address" : "too many requests from this shopper", Math.abs(verdict));
            return;
        }
        next.handleRequest(exchange);
    }
}
