package io.flashsale.http.publish;

import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.OrderDocument;
import io.flashsale.http.reply.Problem;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The end of the order chains: publishes QUERY_ORDER, PAY or CANCEL for the shopper's order (the
 * engine checks ownership, state and deadline) and answers 200 with the order or the refusal.
 * Reads go through the core too, so an order is never shown stale. IO threads.
 */
public final class PublishOrderCommand implements HttpHandler
{
    private final FrontContext context;
    private final CommandType type;
    private final Outcome success;
    private final RequestState.Replier replier = this::reply;

    public PublishOrderCommand(final FrontContext context, final CommandType type)
    {
        this.context = context;
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
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        if (!Publishing.acquire(context, request))
        {
            return;
        }
        request.replier = replier;
        final long userId = request.principal.userId();
        Publishing.settle(context, request, switch (type)
        {
            case PAY -> context.bridge().pay(request.id, userId, request.paymentRef, request);
            case CANCEL -> context.bridge().cancel(request.id, userId, request);
            default -> context.bridge().queryOrder(request.id, userId, request);
        });
    }

    private void reply(final RequestState request)
    {
        if (request.outcome == success)
        {
            final OrderState state = request.resultState;
            context.responses().json(request, 200, request.outcome.name(), OrderDocument.of(request, state));
            return;
        }
        context.responses().problem(request, Problem.of(request.outcome), Publishing.detail(request, request.outcome), 1);
    }
}
