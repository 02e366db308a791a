package io.flashsale.http.filter;

import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.limit.RateLimiter;
import io.flashsale.http.reply.Problem;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The rate limit, after the sale gate (purchase, purchase key) or right after auth (order routes):
 * the per-IP and per-shopper token buckets; 429 with Retry-After when empty. The IP is the
 * peer's, or behind a trusted proxy the client's ({@link io.flashsale.http.limit.ClientAddress}). IO threads.
 */
public final class RateLimit implements HttpHandler
{
    private final FrontContext context;
    private final HttpHandler next;

    public RateLimit(final FrontContext context, final HttpHandler next)
    {
        this.context = context;
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        final InetSocketAddress peer = exchange.getSourceAddress();
        final InetAddress client = context.clientAddress().of(peer.getAddress(), exchange.getRequestHeaders().getFirst(Headers.X_FORWARDED_FOR));
        final long verdict = context.rateLimiter().tryAcquire(request.principal.userId(), client);
        if (verdict != RateLimiter.ALLOWED)
        {
            final boolean byIp = verdict < 0;
            context.metrics().rateLimited(byIp);
            context.responses().problem(request, Problem.RATE_LIMITED,
                byIp ? "too many requests from this address" : "too many requests from this shopper", Math.abs(verdict));
            return;
        }
        next.handleRequest(exchange);
    }
}
