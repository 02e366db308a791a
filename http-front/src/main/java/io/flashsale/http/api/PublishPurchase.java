package io.flashsale.http.api;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The end of the purchase chain: publishes PURCHASE to the ring and, when the result is back,
 * answers 201 with the order (RESERVED, or DUPLICATE for a repeated Idempotency-Key, with the
 * same body) or the engine's refusal. IO threads.
 */
final class PublishPurchase implements HttpHandler
{
    private final Front front;
    private final Call.Replier replier = this::reply;

    PublishPurchase(final Front front)
    {
        this.front = front;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange)
    {
        final Call call = exchange.getAttachment(Call.KEY);
        if (!RingPublish.acquire(front, call))
        {
            return;
        }
        call.replier = replier;
        RingPublish.settle(front, call, front.pipeline().purchase(
            call.sale.id, call.principal.userId(), call.qty, call.idempotencyKey, front.ringReplies, call));
    }

    private void reply(final Call call)
    {
        final Outcome outcome = call.outcome;
        if (outcome == Outcome.RESERVED || outcome == Outcome.DUPLICATE)
        {
            // The original response of a reservation, whatever became of the order since.
            final byte[] body = Documents.order(call, OrderState.RESERVED);
            if (call.idempotencyKey != 0)
            {
                front.idempotentReplies.remember(call.principal.userId(), call.id, call.idempotencyKey, body);
            }
            if (outcome == Outcome.DUPLICATE)
            {
                call.exchange.getResponseHeaders().put(IdempotencyCheck.REPLAYED, "true");
            }
            front.responses.json(call, 201, outcome.name(), body);
            return;
        }
        final Problem problem = Problem.of(outcome);
        front.responses.problem(call, problem, RingPublish.detail(call, outcome), 1);
    }
}
