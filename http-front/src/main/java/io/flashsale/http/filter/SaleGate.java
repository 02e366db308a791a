package io.flashsale.http.filter;

import io.flashsale.engine.sale.SaleState;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.Problem;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The sale gate, after auth (and in the purchase chain after the Idempotency-Key replay): the sale
 * as published by the engine, read without locks and without the ring.
 * Unknown: 404; not started: 425 with startsAt; ended: 410; sold out: 410 for a purchase (a key
 * is still handed out, since units may come back). The answers are prebuilt per sale
 * ({@link GateRefusals}). Sets the request's sale. IO threads.
 */
public final class SaleGate implements HttpHandler
{
    private final FrontContext context;
    private final boolean purchase;
    private final HttpHandler next;

    public SaleGate(final FrontContext context, final boolean purchase, final HttpHandler next)
    {
        this.context = context;
        this.purchase = purchase;
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        final SaleView sale = context.bridge().views().get(request.id);
        if (sale == null)
        {
            context.responses().problem(request, Problem.UNKNOWN_SALE, "there is no sale " + request.id);
            return;
        }
        final SaleState state = sale.stateAt(context.clockMillis().getAsLong());
        final Problem refusal = switch (state)
        {
            case SCHEDULED -> Problem.NOT_STARTED;
            case ENDED -> Problem.ENDED;
            case SOLD_OUT -> purchase ? Problem.SOLD_OUT : null;
            case OPEN -> null;
        };
        if (refusal != null)
        {
            context.responses().problem(request, refusal, context.gateRefusals().body(sale, refusal), 0);
            return;
        }
        request.sale = sale;
        next.handleRequest(exchange);
    }
}
