package io.flashsale.http.publish;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.body.BadRequest;
import io.flashsale.http.body.BodyReaders;
import io.flashsale.http.body.JsonFields;
import io.flashsale.http.reply.Problem;
import io.flashsale.http.reply.SaleDocuments;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The end of the admin create-sale chain: publishes CREATE_SALE (the engine assigns the id) and
 * answers 201 with the new sale as the admin view shows it. IO threads.
 */
public final class PublishCreateSale implements HttpHandler
{
    private final FrontContext context;
    private final RequestState.Replier replier = this::reply;

    public PublishCreateSale(final FrontContext context)
    {
        this.context = context;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws BadRequest
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        final JsonFields fields = request.body;
        final String name = fields.requireString("name", Integer.MAX_VALUE);
        final long stock = fields.requireLong("stock", 1, Integer.MAX_VALUE);
        final long startsAt = fields.requireInstant("startsAt").toEpochMilli();
        final long endsAt = fields.requireInstant("endsAt").toEpochMilli();
        final int perUserLimit = (int)fields.requireLong("perUserLimit", 1, BodyReaders.MAX_PER_USER_LIMIT);
        final long windowMillis = fields.requireLong("paymentWindowSeconds", 1, BodyReaders.MAX_PAYMENT_WINDOW_SECONDS) * 1000;
        if (!Publishing.acquire(context, request))
        {
            return;
        }
        request.replier = replier;
        Publishing.settle(context, request, context.bridge().createSale(
            name, stock, startsAt, endsAt, perUserLimit, windowMillis, request));
    }

    private void reply(final RequestState request)
    {
        // The business thread publishes views at the end of its batch, before the reply stage sees it.
        final SaleView sale = request.outcome == Outcome.SALE_CREATED ? context.bridge().views().get(request.resultSaleId) : null;
        if (sale == null)
        {
            context.responses().problem(request, Problem.of(request.outcome), Publishing.detail(request, request.outcome), 1);
            return;
        }
        request.exchange.getResponseHeaders().put(io.undertow.util.Headers.LOCATION, "/admin/sales/" + sale.id);
        context.responses().json(request, 201, Outcome.SALE_CREATED.name(),
            SaleDocuments.adminSale(sale, context.clockMillis().getAsLong(), context.admission()));
    }
}
