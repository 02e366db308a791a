package io.flashsale.http.api;

import io.flashsale.engine.sale.SaleView;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.http.auth.Role;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The handlers that answer from what the front already knows (clock, published views, metrics),
 * never through the ring. IO threads.
 */
final class Reads
{
    private Reads()
    {
    }

    /** GET /api/time: the server clock, for the shopper page's countdown. As cheap as a response gets. */
    static HttpHandler time(final Front front)
    {
        return exchange -> {
            final Call call = exchange.getAttachment(Call.KEY);
            exchange.getResponseHeaders().put(io.undertow.util.Headers.CACHE_CONTROL, "no-store");
            front.responses.json(call, 200, "OK",
                ("{\"epochMillis\":" + front.clockMillis.getAsLong() + "}").getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** GET /api/sales/{id}: public, from the published view. */
    static HttpHandler sale(final Front front)
    {
        return exchange -> {
            final Call call = exchange.getAttachment(Call.KEY);
            final SaleView sale = front.pipeline().views().get(call.id);
            if (sale == null)
            {
                front.responses.problem(call, Problem.UNKNOWN_SALE, "there is no sale " + call.id);
                return;
            }
            front.responses.json(call, 200, "OK", Documents.publicSale(sale, front.clockMillis.getAsLong()));
        };
    }

    /** GET /api/sales/{id}/key: this shopper's purchase key, after the sale gate let the call through. */
    static HttpHandler purchaseKey(final Front front)
    {
        return exchange -> {
            final Call call = exchange.getAttachment(Call.KEY);
            final String key = front.purchaseKeys.keyFor(call.sale.id, call.principal.userId());
            front.responses.json(call, 200, "OK", JsonOut.object(json -> {
                json.writeNumberField("saleId", call.sale.id);
                json.writeStringField("key", key);
            }));
        };
    }

    /** GET /admin/sales/{id}: terms, counts and admission figures. */
    static HttpHandler adminSale(final Front front)
    {
        return exchange -> {
            final Call call = exchange.getAttachment(Call.KEY);
            final SaleView sale = front.pipeline().views().get(call.id);
            if (sale == null)
            {
                front.responses.problem(call, Problem.UNKNOWN_SALE, "there is no sale " + call.id);
                return;
            }
            front.responses.json(call, 200, "OK", Documents.adminSale(sale, front.clockMillis.getAsLong(), front.admission));
        };
    }

    /** GET /admin/sales: every sale, admin view, in id order. */
    static HttpHandler adminSales(final Front front)
    {
        return exchange -> {
            final Call call = exchange.getAttachment(Call.KEY);
            final SaleViews views = front.pipeline().views();
            final List<SaleView> all = views.all();
            final long now = front.clockMillis.getAsLong();
            front.responses.json(call, 200, "OK", JsonOut.array(json -> {
                for (final SaleView sale : all)
                {
                    json.writeStartObject();
                    Documents.writeAdmin(json, sale, now, front.admission);
                    json.writeEndObject();
                }
            }));
        };
    }

    static HttpHandler live(final Front front)
    {
        final byte[] up = "{\"status\":\"UP\"}".getBytes(StandardCharsets.US_ASCII);
        return exchange -> front.responses.json(exchange.getAttachment(Call.KEY), 200, "OK", up);
    }

    /** Ready once the core is assembled (recovery finished) and the ring takes commands. */
    static HttpHandler ready(final Front front)
    {
        final byte[] ready = "{\"status\":\"READY\"}".getBytes(StandardCharsets.US_ASCII);
        return exchange -> {
            final Call call = exchange.getAttachment(Call.KEY);
            if (front.pipeline() == null)
            {
                front.responses.problem(call, Problem.NOT_READY, "the engine is still being assembled (recovery)", 1);
            }
            else if (!front.pipeline().isAccepting())
            {
                front.responses.problem(call, Problem.SHUTTING_DOWN, "the ring no longer takes commands", 1);
            }
            else
            {
                front.responses.json(call, 200, "OK", ready);
            }
        };
    }

    static HttpHandler metrics(final Front front)
    {
        return exchange -> {
            final Call call = exchange.getAttachment(Call.KEY);
            if (front.pipeline() != null)
            {
                front.metrics.ensureAdmissionGauges(front.pipeline().views(), front.admission);
            }
            front.responses.send(call, 200, "text/plain; version=0.0.4; charset=utf-8", "OK",
                front.metrics.scrape().getBytes(StandardCharsets.UTF_8));
        };
    }

    /** Demo only: where things are, until the shopper page lands. */
    static HttpHandler demoHome(final Front front, final int port)
    {
        final byte[] text = ("flashsale demo\n\n" +
            "  GET  /api/time\n" +
            "  GET  /admin/sales                 (admin token)\n" +
            "  GET  /api/sales/{id}\n" +
            "  POST /demo/token {\"name\":\"alice\"}  -> a shopper token\n" +
            "  GET  /api/sales/{id}/key           (shopper token, once the sale has started)\n" +
            "  POST /api/sales/{id}/purchase {\"qty\":1,\"key\":\"...\"}\n" +
            "  GET  /api/orders/{id}, POST /api/orders/{id}/pay {\"paymentRef\":\"...\"}, POST /api/orders/{id}/cancel\n")
            .getBytes(StandardCharsets.UTF_8);
        return exchange -> front.responses.send(exchange.getAttachment(Call.KEY), 200, "text/plain; charset=utf-8", "OK", text);
    }

    /** Demo only: mints a shopper token for a name, valid 12 hours. */
    static HttpHandler demoToken(final Front front)
    {
        return exchange -> {
            final Call call = exchange.getAttachment(Call.KEY);
            final String name = call.body.requireString("name", 64);
            final Instant expiresAt = Instant.ofEpochMilli(front.clockMillis.getAsLong()).plus(Duration.ofHours(12));
            final String token = front.issuer.issue(name, Role.SHOPPER, expiresAt);
            front.responses.json(call, 201, "OK", JsonOut.object(json -> {
                json.writeStringField("token", token);
                json.writeStringField("subject", name);
                json.writeStringField("role", Role.SHOPPER.claim());
                json.writeStringField("expiresAt", expiresAt.toString());
            }));
        };
    }
}
