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
    public static HttpHandler time(final FrontContext context)
    {
        return exchange -> {
            final RequestState request = exchange.getAttachment(RequestState.KEY);
            exchange.getResponseHeaders().put(io.undertow.util.Headers.CACHE_CONTROL, "no-store");
            context.responses().json(request, 200, "OK",
                ("{\"epochMillis\":" + context.clockMillis().getAsLong() + "}").getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** GET /api/sales/{id}: public, from the published view. */
    public static HttpHandler sale(final FrontContext context)
    {
        return exchange -> {
            final RequestState request = exchange.getAttachment(RequestState.KEY);
            final SaleView sale = context.bridge().views().get(request.id);
            if (sale == null)
            {
                context.responses().problem(request, Problem.UNKNOWN_SALE, "there is no sale " + request.id);
                return;
            }
            context.responses().json(request, 200, "OK", SaleDocuments.publicSale(sale, context.clockMillis().getAsLong()));
        };
    }

    /** GET /api/sales/{id}/key: this shopper's purchase key, after the sale gate let the request through. */
    public static HttpHandler purchaseKey(final FrontContext context)
    {
        return exchange -> {
            final RequestState request = exchange.getAttachment(RequestState.KEY);
            final String key = context.purchaseKeys().keyFor(request.sale.id, request.principal.userId());
            context.responses().json(request, 200, "OK", JsonOut.object(json -> {
                json.writeNumberField("saleId", request.sale.id);
                json.writeStringField("key", key);
            }));
        };
    }

    /** GET /admin/sales/{id}: terms, counts and admission figures. */
    public static HttpHandler adminSale(final FrontContext context)
    {
        return exchange -> {
            final RequestState request = exchange.getAttachment(RequestState.KEY);
            final SaleView sale = context.bridge().views().get(request.id);
            if (sale == null)
            {
                context.responses().problem(request, Problem.UNKNOWN_SALE, "there is no sale " + request.id);
                return;
            }
            context.responses().json(request, 200, "OK", SaleDocuments.adminSale(sale, context.clockMillis().getAsLong(), context.admission()));
        };
    }

    /** GET /admin/sales: every sale, admin view, in id order. */
    public static HttpHandler adminSales(final FrontContext context)
    {
        return exchange -> {
            final RequestState request = exchange.getAttachment(RequestState.KEY);
            final SaleViews views = context.bridge().views();
            final List<SaleView> all = views.all();
            final long now = context.clockMillis().getAsLong();
            context.responses().json(request, 200, "OK", JsonOut.array(json -> {
                for (final SaleView sale : all)
                {
                    json.writeStartObject();
                    SaleDocuments.writeAdmin(json, sale, now, context.admission());
                    json.writeEndObject();
                }
            }));
        };
    }

    /** Every admin route on an edge: 404, the admin API is the core's. */
    public static HttpHandler adminOnCore(final FrontContext context)
    {
        return exchange -> context.responses().problem(exchange.getAttachment(RequestState.KEY), Problem.NOT_FOUND,
            "the admin routes are served by the core, not by an edge");
    }

    public static HttpHandler live(final FrontContext context)
    {
        final byte[] up = "{\"status\":\"UP\"}".getBytes(StandardCharsets.US_ASCII);
        return exchange -> context.responses().json(exchange.getAttachment(RequestState.KEY), 200, "OK", up);
    }

    /** Ready once the core is assembled (recovery finished) and the ring takes commands. */
    public static HttpHandler ready(final FrontContext context)
    {
        final byte[] ready = "{\"status\":\"READY\"}".getBytes(StandardCharsets.US_ASCII);
        return exchange -> {
            final RequestState request = exchange.getAttachment(RequestState.KEY);
            if (!context.bridge().isReady())
            {
                context.responses().problem(request, context.bridge().notReadyProblem(), context.bridge().notReadyDetail(), 1);
            }
            else if (!context.bridge().isAccepting())
            {
                context.responses().problem(request, Problem.SHUTTING_DOWN, "the ring no longer takes commands", 1);
            }
            else
            {
                context.responses().json(request, 200, "OK", ready);
            }
        };
    }

    public static HttpHandler metrics(final FrontContext context)
    {
        return exchange -> {
            final RequestState request = exchange.getAttachment(RequestState.KEY);
            if (context.bridge().isReady())
            {
                context.metrics().ensureAdmissionGauges(context.bridge().views(), context.admission());
            }
            context.responses().send(request, 200, "text/plain; version=0.0.4; charset=utf-8", "OK",
                context.metrics().scrape().getBytes(StandardCharsets.UTF_8));
        };
    }

    /** Demo only: mints a shopper token for a name, valid 12 hours. */
    public static HttpHandler demoToken(final FrontContext context)
    {
        return exchange -> {
            final RequestState request = exchange.getAttachment(RequestState.KEY);
            final String name = request.body.requireString("name", 64);
            final Instant expiresAt = Instant.ofEpochMilli(context.clockMillis().getAsLong()).plus(Duration.ofHours(12));
            final String token = context.issuer().issue(name, Role.SHOPPER, expiresAt);
            context.responses().json(request, 201, "OK", JsonOut.object(json -> {
                json.writeStringField("token", token);
                json.writeStringField("subject", name);
                json.writeStringField("role", Role.SHOPPER.claim());
                json.writeStringField("expiresAt", expiresAt.toString());
            }));
        };
    }
}
