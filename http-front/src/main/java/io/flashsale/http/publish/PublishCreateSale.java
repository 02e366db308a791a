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
    private final FrontContext front;
    private final RequestState.Replier replier = this::reply;

    public PublishCreateSale(final FrontContext front)
    {
        this.front = front;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws BadRequest
    {
        final RequestState call = exchange.getAttachment(RequestState.KEY);
        final JsonFields fields = call.body;
        final String name = fields.requireString("name", Integer.MAX_VALUE);
        final long stock = fields.requireLong("stock", 1, Integer.MAX_VALUE);
        final long startsAt = fields.requireInstant("startsAt").toEpochMilli();
        final long endsAt = fields.requireInstant("endsAt").toEpochMilli();
        final int perUserLimit = (int)fields.requireLong("perUserLimit", 1, BodyReaders.MAX_PER_USER_LIMIT);
        final long windowMillis = fields.requireLong("paymentWindowSeconds", 1, BodyReaders.MAX_PAYMENT_WINDOW_SECONDS) * 1000;
        if (!Publishing.acquire(front, call))
        {
            return;
        }
        call.replier = replier;
        Publishing.settle(front, call, front.bridge().createSale(
            name, stock, startsAt, endsAt, perUserLimit, windowMillis, call));
    }

    private void reply(final RequestState call)
    {
        // The business thread publishes views at the end of its batch, before the reply stage sees it.
        final SaleView sale = call.outcome == Outcome.SALE_CREATED ? front.pipeline().views().get(call.resultSaleId) : null;
        if (sale == null)
        {
            front.responses().problem(call, Problem.of(call.outcome), Publishing.detail(call, call.outcome), 1);
            return;
        }
        call.exchange.getResponseHeaders().put(io.undertow.util.Headers.LOCATION, "/admin/sales/" + sale.id);
        front.responses().json(call, 201, Outcome.SALE_CREATED.name(),
            SaleDocuments.adminSale(sale, front.clockMillis().getAsLong(), front.admission()));
    }
}
