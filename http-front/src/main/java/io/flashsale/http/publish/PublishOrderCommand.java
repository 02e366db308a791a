package io.flashsale.http.publish;

import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.Problem;
import io.flashsale.http.reply.OrderDocument;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The end of the order chains: publishes QUERY_ORDER, PAY or CANCEL for the shopper's order (the
 * engine checks ownership, state and deadline) and answers 200 with the order or the refusal.
 * Reads go through the core too, so an order is never shown stale. IO threads.
 */
public final class PublishOrderCommand implements HttpHandler
{
    private final FrontContext front;
    private final CommandType type;
    private final Outcome success;
    private final RequestState.Replier replier = this::reply;

    public PublishOrderCommand(final FrontContext front, final CommandType type)
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
        final RequestState call = exchange.getAttachment(RequestState.KEY);
        if (!Publishing.acquire(front, call))
        {
            return;
        }
        call.replier = replier;
        final long userId = call.principal.userId();
        Publishing.settle(front, call, switch (type)
        {
            case PAY -> front.bridge().pay(call.id, userId, call.paymentRef, call);
            case CANCEL -> front.bridge().cancel(call.id, userId, call);
            default -> front.bridge().queryOrder(call.id, userId, call);
        });
    }

    private void reply(final RequestState call)
    {
        if (call.outcome == success)
        {
            final OrderState state = call.resultState;
            front.responses().json(call, 200, call.outcome.name(), OrderDocument.of(call, state));
            return;
        }
        front.responses().problem(call, Problem.of(call.outcome), Publishing.detail(call, call.outcome), 1);
    }
}
