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
    private final FrontContext front;
    private final HttpHandler next;
    private final byte[] refusal;

    public AdmissionDraw(final FrontContext front, final HttpHandler next)
    {
        this.front = front;
        this.next = next;
        this.refusal = ResponseWriter.problemBody(Problem.NOT_ADMITTED,
            "this purchase attempt lost the admission draw; every attempt has the same chance, retry after the given seconds", null);
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final RequestState call = exchange.getAttachment(RequestState.KEY);
        if (!front.admission().admit(call.sale))
        {
            front.responses().problem(call, Problem.NOT_ADMITTED, refusal, front.config().admission.retryAfterSeconds);
            return;
        }
        next.handleRequest(exchange);
    }
}
