package io.flashsale.http.filter;

import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.Problem;
import io.flashsale.http.reply.ResponseWriter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The admission draw, in the purchase chain only, after the rate limit and before the body is read:
 * a loser gets 503 "not admitted" with Retry-After. IO threads.
 */
public final class AdmissionDraw implements HttpHandler
{
    private final FrontContext context;
    private final HttpHandler next;
    private final byte[] refusal;

    public AdmissionDraw(final FrontContext context, final HttpHandler next)
    {
        this.context = context;
        this.next = next;
        this.refusal = ResponseWriter.problemBody(Problem.NOT_ADMITTED,
            "this purchase attempt lost the admission draw; every attempt has the same chance, retry after the given seconds", null);
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        if (!context.admission().admit(request.sale))
        {
            context.responses().problem(request, Problem.NOT_ADMITTED, refusal, context.config().admission.retryAfterSeconds);
            return;
        }
        next.handleRequest(exchange);
    }
}
