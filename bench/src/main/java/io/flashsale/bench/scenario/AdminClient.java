package io.flashsale.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The few calls a scenario makes outside the measured load, with the JDK's blocking client:
 * create the sale, buy with one shopper (to sell a sale out), read the books. Main thread.
 */
public final class AdminClient
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String adminAuthorization;

    public AdminClient(final String host, final int port, final byte[] secret)
    {
        this.base = "http://" + host + ":" + port;
        this.adminAuthorization = Crowd.adminAuthorization(secret);
    }

    /** The terms of a sale to create. */
    public record SaleTerms(String name, long stock, Instant startsAt, Instant endsAt, long perUserLimit, long paymentWindowSeconds)
    {
    }

    /** Creates the sale and returns its id. */
    public long createSale(final SaleTerms terms) throws IOException, InterruptedException
    {
        final String body = JSON.writeValueAsString(java.util.Map.of(
            "name", terms.name(),
            "stock", terms.stock(),
            "startsAt", terms.startsAt().toString(),
            "endsAt", terms.endsAt().toString(),
            "perUserLimit", terms.perUserLimit(),
            "paymentWindowSeconds", terms.paymentWindowSeconds()));
        final JsonNode sale = call("POST", "/admin/sales", adminAuthorization, body, 201);
        return sale.path("id").asLong();
    }

    /** One shopper buys {@code qty} units with its purchase key; returns the order id. */
    public long purchase(final long saleId, final String authorization, final String key, final int qty) throws IOException, InterruptedException
    {
        final JsonNode order = call("POST", "/api/sales/" + saleId + "/purchase", authorization,
            "{\"qty\":" + qty + ",\"key\":\"" + key + "\"}", 201);
        return order.path("orderId").asLong();
    }

    public Books books(final long saleId) throws IOException, InterruptedException
    {
        final JsonNode sale = call("GET", "/admin/sales/" + saleId, adminAuthorization, null, 200);
        return new Books(
            sale.path("stock").asLong(),
            sale.path("available").asLong(),
            sale.path("reserved").asLong(),
            sale.path("paid").asLong(),
            sale.path("cancelled").asLong(),
            sale.path("expired").asLong(),
            sale.path("distinctBuyers").asLong());
    }

    /** The admin view of one order (sale, qty, state, the buyer's subject), or null when the core has no such order. */
    public JsonNode order(final long orderId) throws IOException, InterruptedException
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/orders/" + orderId))
            .timeout(Duration.ofSeconds(15)).header("Authorization", adminAuthorization).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404)
        {
            return null;
        }
        if (response.statusCode() != 200)
        {
            throw new IOException("GET /admin/orders/" + orderId + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private JsonNode call(final String method, final String path, final String authorization, final String body, final int expected)
        throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", authorization)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null)
        {
            request.header("Content-Type", "application/json");
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected)
        {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + " (expected " + expected + "): " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
