package io.flashsale.http.api;

import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpHandler;

/**
 * The end of the order chains: publishes QUERY_ORDER, PAY or CANCEL for the shopper's order (the
 * engine checks ownership, state and deadline) and answers 200 with the order or the refusal.
 * Reads go through the ring too, so an order is never shown stale. IO threads.
 */
final class PublishOrderCommand implements HttpHandler
{
    private final Front front;
    private final CommandType type;
    private final Outcome success;
    private final Call.Replier replier = this::reply;

    PublishOrderCommand(final Front front, final CommandType type)
    {
        this.front = front;
        this.type = type;
        this.success = switch (type)
        {
            case PAY -> Outcome.PAID;
            case CANCEL -> Outcome.CANCELLED;
            case QUERY_ORDER -> Outcome.OK;
            default -> throw new IllegalArgumentException("not an order command: " + type);
        };
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
        final long userId = call.principal.userId();
        RingPublish.settle(front, call, switch (type)
        {
            case PAY -> front.pipeline().pay(call.id, userId, call.paymentRef, front.ringReplies, call);
            case CANCEL -> front.pipeline().cancel(call.id, userId, front.ringReplies, call);
            default -> front.pipeline().queryOrder(call.id, userId, front.ringReplies, call);
        });
    }

    private void reply(final Call call)
    {
        if (call.outcome == success)
        {
            final OrderState state = call.resultState;
            front.responses.json(call, 200, call.outcome.name(), Documents.order(call, state));
            return;
        }
        front.responses.problem(call, Problem.of(call.outcome), RingPublish.detail(call, call.outcome), 1);
    }
}
