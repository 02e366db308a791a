package io.flashsale.http.publish;

import io.flashsale.engine.command.Outcome;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.OrderDocument;
import io.flashsale.http.reply.Problem;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The end of the admin's order chain: publishes INSPECT_ORDER for any order (no owner check) and
 * answers 200 with the order and who bought it ({@link OrderDocument#adminView}), or 404 for an
 * unknown order. Read through the core like the shopper's order read, so it is never stale; never
 * journaled. IO threads.
 */
public final class PublishOrderInspection implements HttpHandler
{
    private final FrontContext context;
    private final RequestState.Replier replier = this::reply;

    public PublishOrderInspection(final FrontContext context)
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
        Publishing.settle(context, request, context.bridge().inspectOrder(request.id, request));
    }

    private void reply(final RequestState request)
    {
        if (request.outcome == Outcome.OK)
        {
            context.responses().json(request, 200, request.outcome.name(), OrderDocument.adminView(request));
            return;
        }
        context.responses().problem(request, Problem.of(request.outcome), Publishing.detail(request, request.outcome), 1);
    }
}
