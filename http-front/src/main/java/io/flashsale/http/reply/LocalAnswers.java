package io.flashsale.http.reply;

import io.flashsale.engine.sale.SaleView;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.auth.Role;
import io.undertow.server.HttpHandler;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The handlers that answer from what the front already knows (clock, published views, metrics),
 * never through the ring. IO threads.
 */
public final class LocalAnswers
{
    private LocalAnswers()
    {
    }

    /** GET /api/time: the server clock, for the shopper page's countdown. As cheap as a response gets. */
    public static HttpHandler time(final FrontContext front)
    {
        return exchange -> {
            final RequestState call = exchange.getAttachment(RequestState.KEY);
            exchange.getResponseHeaders().put(io.undertow.util.Headers.CACHE_CONTROL, "no-store");
            front.responses().json(call, 200, "OK",
                ("{\"epochMillis\":" + front.clockMillis().getAsLong() + "}").getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** GET /api/sales/{id}: public, from the published view. */
    public static HttpHandler sale(final FrontContext front)
    {
        return exchange -> {
            final RequestState call = exchange.getAttachment(RequestState.KEY);
            final SaleView sale = front.pipeline().views().get(call.id);
            if (sale == null)
            {
                front.responses().problem(call, Problem.UNKNOWN_SALE, "there is no sale " + call.id);
                return;
            }
            front.responses().json(call, 200, "OK", SaleDocuments.publicSale(sale, front.clockMillis().getAsLong()));
        };
    }

    /** GET /api/sales/{id}/key: this shopper's purchase key, after the sale gate let the request through. */
    public static HttpHandler purchaseKey(final FrontContext front)
    {
        return exchange -> {
            final RequestState call = exchange.getAttachment(RequestState.KEY);
            final String key = front.purchaseKeys().keyFor(call.sale.id, call.principal.userId());
            front.responses().json(call, 200, "OK", JsonOut.object(json -> {
                json.writeNumberField("saleId", call.sale.id);
                json.writeStringField("key", key);
            }));
        };
    }

    /** GET /admin/sales/{id}: terms, counts and admission figures. */
    public static HttpHandler adminSale(final FrontContext front)
    {
        return exchange -> {
            final RequestState call = exchange.getAttachment(RequestState.KEY);
            final SaleView sale = front.pipeline().views().get(call.id);
            if (sale == null)
            {
                front.responses().problem(call, Problem.UNKNOWN_SALE, "there is no sale " + call.id);
                return;
            }
            front.responses().json(call, 200, "OK", SaleDocuments.adminSale(sale, front.clockMillis().getAsLong(), front.admission()));
        };
    }

    /** GET /admin/sales: every sale, admin view, in id order. */
    public static HttpHandler adminSales(final FrontContext front)
    {
        return exchange -> {
            final RequestState call = exchange.getAttachment(RequestState.KEY);
            final SaleViews views = front.pipeline().views();
            final List<SaleView> all = views.all();
            final long now = front.clockMillis().getAsLong();
            front.responses().json(call, 200, "OK", JsonOut.array(json -> {
                for (final SaleView sale : all)
                {
                    json.writeStartObject();
                    SaleDocuments.writeAdmin(json, sale, now, front.admission());
                    json.writeEndObject();
                }
            }));
        };
    }

    public static HttpHandler live(final FrontContext front)
    {
        final byte[] up = "{\"status\":\"UP\"}".getBytes(StandardCharsets.US_ASCII);
        return exchange -> front.responses().json(exchange.getAttachment(RequestState.KEY), 200, "OK", up);
    }

    /** Ready once the core is assembled (recovery finished) and the ring takes commands. */
    public static HttpHandler ready(final FrontContext front)
    {
        final byte[] ready = "{\"status\":\"READY\"}".getBytes(StandardCharsets.US_ASCII);
        return exchange -> {
            final RequestState call = exchange.getAttachment(RequestState.KEY);
            if (front.pipeline() == null)
            {
                front.responses().problem(call, Problem.NOT_READY, "the engine is still being assembled (recovery)", 1);
            }
            else if (!front.pipeline().isAccepting())
            {
                front.responses().problem(call, Problem.SHUTTING_DOWN, "the ring no longer takes commands", 1);
            }
            else
            {
                front.responses().json(call, 200, "OK", ready);
            }
        };
    }

    public static HttpHandler metrics(final FrontContext front)
    {
        return exchange -> {
            final RequestState call = exchange.getAttachment(RequestState.KEY);
            if (front.pipeline() != null)
            {
                front.metrics().ensureAdmissionGauges(front.pipeline().views(), front.admission());
            }
            front.responses().send(call, 200, "text/plain; version=0.0.4; charset=utf-8", "OK",
                front.metrics().scrape().getBytes(StandardCharsets.UTF_8));
        };
    }

    /** Demo only: mints a shopper token for a name, valid 12 hours. */
    public static HttpHandler demoToken(final FrontContext front)
    {
        return exchange -> {
            final RequestState call = exchange.getAttachment(RequestState.KEY);
            final String name = call.body.requireString("name", 64);
            final Instant expiresAt = Instant.ofEpochMilli(front.clockMillis().getAsLong()).plus(Duration.ofHours(12));
            final String token = front.issuer().issue(name, Role.SHOPPER, expiresAt);
            front.responses().json(call, 201, "OK", JsonOut.object(json -> {
                json.writeStringField("token", token);
                json.writeStringField("subject", name);
                json.writeStringField("role", Role.SHOPPER.claim());
                json.writeStringField("expiresAt", expiresAt.toString());
            }));
        };
    }
}
