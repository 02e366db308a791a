package io.flashsale.http.filter;

import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.Problem;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Refuses a state-changing request before it reaches the ring when this node must not take writes:
 * a standby (503 {@code standby}) or a sync primary stalled by a lost standby (503
 * {@code replication-stalled}), with Retry-After. IO threads.
 */
public final class WriteGate implements HttpHandler
{
    private final FrontContext context;
    private final HttpHandler next;

    public WriteGate(final FrontContext context, final HttpHandler next)
    {
        this.context = context;
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final Problem refusal = context.replication().writeRefusal();
        if (refusal != null)
        {
            final RequestState request = exchange.getAttachment(RequestState.KEY);
            context.responses().problem(request, refusal, refusal == Problem.STANDBY ?
                "this node is a standby; it takes writes once promoted" :
                "the primary lost its standby and acknowledges nothing until a standby is in sync again", 1);
            return;
        }
        next.handleRequest(exchange);
    }
}
