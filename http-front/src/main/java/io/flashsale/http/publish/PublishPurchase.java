package io.flashsale.http.publish;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.filter.IdempotencyCheck;
import io.flashsale.http.reply.Problem;
import io.flashsale.http.reply.OrderDocument;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The end of the purchase chain: publishes PURCHASE through the bridge and, when the result is back,
 * answers 201 with the order (RESERVED, or DUPLICATE for a repeated Idempotency-Key, with the
 * same body) or the engine's refusal. IO threads.
 */
public final class PublishPurchase implements HttpHandler
{
    private final FrontContext front;
    private final RequestState.Replier replier = this::reply;

    public PublishPurchase(final FrontContext front)
    {
        this.front = front;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange)
    {
        final RequestState call = exchange.getAttachment(RequestState.KEY);
        if (!Publishing.acquire(front, call))
        {
            return;
        }
        call.replier = replier;
        Publishing.settle(front, call, front.bridge().purchase(
            call.sale.id, call.principal.userId(), call.qty, call.idempotencyKey, call));
    }

    private void reply(final RequestState call)
    {
        final Outcome outcome = call.outcome;
        if (outcome == Outcome.RESERVED || outcome == Outcome.DUPLICATE)
        {
            // The original response of a reservation, whatever became of the order since.
            final byte[] body = OrderDocument.of(call, OrderState.RESERVED);
            if (call.idempotencyKey != 0)
            {
                front.idempotentReplies().remember(call.principal.userId(), call.id, call.idempotencyKey, body);
            }
            if (outcome == Outcome.DUPLICATE)
            {
                call.exchange.getResponseHeaders().put(IdempotencyCheck.REPLAYED, "true");
            }
            front.responses().json(call, 201, outcome.name(), body);
            return;
        }
        final Problem problem = Problem.of(outcome);
        front.responses().problem(call, problem, Publishing.detail(call, outcome), 1);
    }
}
