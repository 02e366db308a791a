package io.flashsale.http.api;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Filter 4: the admission draw; a loser gets 503 "not admitted" with Retry-After. IO threads. */
final class Admit implements HttpHandler
{
    private final Front front;
    private final HttpHandler next;
    private final byte[] refusal;

    Admit(final Front front, final HttpHandler next)
    {
        this.front = front;
        this.next = next;
        this.refusal = Responses.problemBody(Problem.NOT_ADMITTED,
            "this purchase attempt lost the admission draw; every attempt has the same chance, retry after the given seconds", null);
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final Call call = exchange.getAttachment(Call.KEY);
        if (!front.admission.admit(call.sale))
        {
            front.responses.problem(call, Problem.NOT_ADMITTED, refusal, front.config.admission.retryAfterSeconds);
            return;
        }
        next.handleRequest(exchange);
    }
}
