package io.flashsale.http.publish;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.filter.IdempotencyCheck;
import io.flashsale.http.reply.OrderDocument;
import io.flashsale.http.reply.Problem;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The end of the purchase chain: publishes PURCHASE through the bridge and, when the result is back,
 * answers 201 with the order (RESERVED, or DUPLICATE for a repeated Idempotency-Key, with the
 * same body) or the engine's refusal. IO threads.
 */
public final class PublishPurchase implements HttpHandler
{
    private final FrontContext context;
    private final RequestState.Replier replier = this::reply;

    public PublishPurchase(final FrontContext context)
    {
        this.context = context;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange)
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        if (!Publishing.acquire(context, request))
        {
            return;
        }
        request.replier = replier;
        Publishing.settle(context, request, context.bridge().purchase(
            request.sale.id, request.principal.userId(), request.qty, request.idempotencyKey, request));
    }

    private void reply(final RequestState request)
    {
        final Outcome outcome = request.outcome;
        if (outcome == Outcome.RESERVED || outcome == Outcome.DUPLICATE)
        {
            // The original response of a reservation, whatever became of the order since.
            final byte[] body = OrderDocument.of(request, OrderState.RESERVED);
            if (request.idempotencyKey != 0)
            {
                context.idempotentReplies().remember(request.principal.userId(), request.id, request.idempotencyKey, body);
            }
            if (outcome == Outcome.DUPLICATE)
            {
                request.exchange.getResponseHeaders().put(IdempotencyCheck.REPLAYED, "true");
            }
            context.responses().json(request, 201, outcome.name(), body);
            return;
        }
        final Problem problem = Problem.of(outcome);
        context.responses().problem(request, problem, Publishing.detail(request, outcome), 1);
    }
}
