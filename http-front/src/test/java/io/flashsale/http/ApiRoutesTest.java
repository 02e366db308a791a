package io.flashsale.http;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.http.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every route and every status of the API, through real HTTP. */
class ApiRoutesTest
{
    private static TestServer s;

    @BeforeAll
    static void start()
    {
        s = new TestServer();
    }

    @AfterAll
    static void stop()
    {
        s.close();
    }

    @Test
    void timeAnswersTheServerClock()
    {
        final TestServer.Response time = s.get("/api/time", null);
        assertThat(time.status()).isEqualTo(200);
        assertThat(time.json().get("epochMillis").asLong()).isEqualTo(s.clock.get());
        assertThat(time.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void saleIsReadFromThePublishedViewWithoutAToken()
    {
        final long id = s.createSale(7, 0, 2, 60);
        final JsonNode sale = s.get("/api/sales/" + id, null).json();
        assertThat(sale.get("id").asLong()).isEqualTo(id);
        assertThat(sale.get("name").asText()).isEqualTo("Sneakers");
        assertThat(sale.get("state").asText()).isEqualTo("OPEN");
        assertThat(sale.get("available").asLong()).isEqualTo(7);
        assertThat(sale.get("perUserLimit").asInt()).isEqualTo(2);
        assertThat(Instant.parse(sale.get("startsAt").asText()).toEpochMilli()).isEqualTo(s.clock.get());
        assertThat(sale.get("endsAt").asText()).isNotBlank();
        s.get("/api/sales/999999", null).problem(404, "UNKNOWN_SALE");
        s.get("/api/sales/abc", null).problem(400, "INVALID");
        s.get("/api/sales/0", null).problem(400, "INVALID");
        s.get("/api/sales/-1", null).problem(400, "INVALID");
        s.get("/api/sales/99999999999999999999", null).problem(400, "INVALID");
    }

    @Test
    void notStartedIsSentAsTooEarlyOnTheStatusLine() throws Exception
    {
        final long id = s.createSale(5, 60_000, 1, 60);
        final String body = "{\"qty\":1,\"key\":\"" + s.keyFor(id, "early-bird") + "\"}";
        try (RawHttp http = new RawHttp(s.server.port()))
        {
            http.send("GET /api/sales/" + id + "/key HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + s.shopper("early-bird") + "\r\n\r\n");
            final RawHttp.Response key = http.read(5_000);
            assertThat(key.statusLine()).isEqualTo("HTTP/1.1 425 Too Early");
            assertThat(key.body()).contains("NOT_STARTED");

            http.send(s.rawPurchaseHead(id, "early-bird", "Content-Length: " + body.length()) + body);
            final RawHttp.Response purchase = http.read(5_000);
            assertThat(purchase.statusLine()).isEqualTo("HTTP/1.1 425 Too Early");
            assertThat(purchase.body()).contains("NOT_STARTED");
        }
    }

    @Test
    void purchaseKeyIsHandedOutOnlyOnceTheSaleHasStarted()
    {
        final long id = s.createSale(5, 60_000, 1, 60);
        final String alice = s.shopper("alice-key");
        final TestServer.Response early = s.get("/api/sales/" + id + "/key", alice).problem(425, "NOT_STARTED");
        assertThat(early.json().get("startsAt").asText()).isEqualTo(Instant.ofEpochMilli(s.clock.get() + 60_000).toString());
        s.purchase(id, "alice-key", 1).problem(425, "NOT_STARTED");

        s.clock.addAndGet(60_000);
        final TestServer.Response key = s.get("/api/sales/" + id + "/key", alice);
        assertThat(key.status()).isEqualTo(200);
        assertThat(key.json().get("key").asText()).isEqualTo(s.keyFor(id, "alice-key")).hasSize(22);
        // Bound to shopper and sale: another shopper and another sale get other keys.
        assertThat(s.keyFor(id, "bob")).isNotEqualTo(key.json().get("key").asText());
        assertThat(s.keyFor(id + 1, "alice-key")).isNotEqualTo(key.json().get("key").asText());
    }

    @Test
    void purchaseReservesAndAnswers201WithTheOrder()
    {
        final long id = s.createSale(5, 0, 2, 120);
        final TestServer.Response bought = s.purchase(id, "carol", 2);
        assertThat(bought.status()).as(bought.body()).isEqualTo(201);
        assertThat(bought.header("Content-Type")).isEqualTo("application/json");
        final JsonNode order = bought.json();
        assertThat(order.get("orderId").asLong()).isPositive();
        assertThat(order.get("saleId").asLong()).isEqualTo(id);
        assertThat(order.get("qty").asInt()).isEqualTo(2);
        assertThat(order.get("state").asText()).isEqualTo("RESERVED");
        assertThat(Instant.parse(order.get("paymentDeadline").asText()).toEpochMilli()).isEqualTo(s.clock.get() + 120_000);
        final JsonNode counts = s.adminSale(id);
        assertThat(counts.get("available").asLong()).isEqualTo(3);
        assertThat(counts.get("reserved").asLong()).isEqualTo(2);
        assertThat(counts.get("distinctBuyers").asLong()).isEqualTo(1);
    }

    @Test
    void aKeyThatIsNotTheShoppersOwnIsRefused()
    {
        final long id = s.createSale(5, 0, 1, 60);
        s.post("/api/sales/" + id + "/purchase", s.shopper("mallory"), "{\"qty\":1,\"key\":\"" + s.keyFor(id, "victim") + "\"}")
            .problem(403, "BAD_PURCHASE_KEY");
        s.post("/api/sales/" + id + "/purchase", s.shopper("mallory"), "{\"qty\":1,\"key\":\"AAAAAAAAAAAAAAAAAAAAAA\"}")
            .problem(403, "BAD_PURCHASE_KEY");
        assertThat(s.adminSale(id).get("reserved").asLong()).isZero();
    }

    @Test
    void purchaseBeyondPerUserLimitIsRefusedWith409()
    {
        final long id = s.createSale(10, 0, 2, 60);
        assertThat(s.purchase(id, "dave", 2).status()).isEqualTo(201);
        s.purchase(id, "dave", 1).problem(409, "LIMIT_REACHED");
        s.purchase(id, "dave", 3).problem(400, "INVALID");
        assertThat(s.adminSale(id).get("reserved").asLong()).isEqualTo(2);
    }

    @Test
    void soldOutAndEndedSalesAreTurnedAwayWith410()
    {
        final long id = s.createSale(1, 0, 1, 60);
        assertThat(s.purchase(id, "erin", 1).status()).isEqualTo(201);
        final TestServer.Response soldOut = s.purchase(id, "frank", 1).problem(410, "SOLD_OUT");
        assertThat(soldOut.json().get("type").asText()).isEqualTo("https://flashsale.dev/problems/sold-out");
        assertThat(s.get("/api/sales/" + id, null).json().get("state").asText()).isEqualTo("SOLD_OUT");

        final long later = s.createSale(5, 0, 1, 60);
        s.clock.addAndGet(Duration.ofHours(2).toMillis());
        s.purchase(later, "frank", 1).problem(410, "ENDED");
        s.get("/api/sales/" + later + "/key", s.shopper("frank")).problem(410, "ENDED");
        assertThat(s.get("/api/sales/" + later, null).json().get("state").asText()).isEqualTo("ENDED");
    }

    @Test
    void ordersAreReadPaidAndCancelledOnlyByTheirOwner()
    {
        final long id = s.createSale(10, 0, 3, 60);
        final long paid = s.purchase(id, "gina", 1).json().get("orderId").asLong();
        final long cancelled = s.purchase(id, "gina", 1).json().get("orderId").asLong();
        final String gina = s.shopper("gina");
        final String hank = s.shopper("hank");

        final TestServer.Response read = s.get("/api/orders/" + paid, gina);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("state").asText()).isEqualTo("RESERVED");
        s.get("/api/orders/" + paid, hank).problem(403, "NOT_OWNER");
        s.post("/api/orders/" + paid + "/pay", hank, "{\"paymentRef\":\"stolen\"}").problem(403, "NOT_OWNER");
        s.post("/api/orders/" + paid + "/cancel", hank, "").problem(403, "NOT_OWNER");
        s.get("/api/orders/99999999", gina).problem(404, "UNKNOWN_ORDER");

        final TestServer.Response pay = s.post("/api/orders/" + paid + "/pay", gina, "{\"paymentRef\":\"psp-123\"}");
        assertThat(pay.status()).as(pay.body()).isEqualTo(200);
        assertThat(pay.json().get("state").asText()).isEqualTo("PAID");
        s.post("/api/orders/" + paid + "/pay", gina, "{\"paymentRef\":\"psp-123\"}").problem(409, "ALREADY_PAID");
        s.post("/api/orders/" + paid + "/cancel", gina, "").problem(409, "ALREADY_PAID");

        final TestServer.Response cancel = s.post("/api/orders/" + cancelled + "/cancel", gina, "{}");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.json().get("state").asText()).isEqualTo("CANCELLED");
        s.post("/api/orders/" + cancelled + "/cancel", gina, "").problem(409, "ALREADY_CANCELLED");
        s.post("/api/orders/" + cancelled + "/pay", gina, "{\"paymentRef\":\"late\"}").problem(409, "ALREADY_CANCELLED");
        assertThat(s.get("/api/orders/" + cancelled, gina).json().get("state").asText()).isEqualTo("CANCELLED");

        final JsonNode counts = s.adminSale(id);
        assertThat(counts.get("paid").asLong()).isEqualTo(1);
        assertThat(counts.get("cancelled").asLong()).isEqualTo(1);
        assertThat(counts.get("available").asLong()).isEqualTo(9);
    }

    @Test
    void payingAfterThePaymentWindowIsRefusedWith410()
    {
        final long id = s.createSale(3, 0, 1, 10);
        final long order = s.purchase(id, "ivan", 1).json().get("orderId").asLong();
        s.clock.addAndGet(11_000);
        s.post("/api/orders/" + order + "/pay", s.shopper("ivan"), "{\"paymentRef\":\"too-late\"}").problem(410, "EXPIRED");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            final JsonNode counts = s.adminSale(id);
            assertThat(counts.get("expired").asLong()).isEqualTo(1);
            assertThat(counts.get("available").asLong()).isEqualTo(3);
        });
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheOriginalResponseAndBuysNothing()
    {
        final long id = s.createSale(1, 0, 1, 60);
        final HttpRequest.Builder request = s.request("/api/sales/" + id + "/purchase", s.shopper("judy"))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "order-attempt-1")
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"" + s.keyFor(id, "judy") + "\"}"));
        final TestServer.Response first = s.send(request.build());
        assertThat(first.status()).isEqualTo(201);
        // Sold out now, yet the repeat still gets the original 201, and nothing more is reserved.
        final TestServer.Response again = s.send(request.build());
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(s.adminSale(id).get("reserved").asLong()).isEqualTo(1);

        final TestServer.Response tooLong = s.send(s.request("/api/sales/" + id + "/purchase", s.shopper("judy"))
            .header("Content-Type", "application/json").header("Idempotency-Key", "x".repeat(65))
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"" + s.keyFor(id, "judy") + "\"}")).build());
        tooLong.problem(400, "INVALID");
    }

    @Test
    void theEngineAnswersDuplicateForAKeyTheFrontHasNotSeen()
    {
        final long id = s.createSale(5, 0, 2, 60);
        final String body = "{\"qty\":1,\"key\":\"" + s.keyFor(id, "kim") + "\"}";
        final TestServer.Response first = s.send(s.request("/api/sales/" + id + "/purchase", s.shopper("kim"))
            .header("Content-Type", "application/json").header("Idempotency-Key", "k1")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        final TestServer.Response second = s.send(s.request("/api/sales/" + id + "/purchase", s.shopper("kim"))
            .header("Content-Type", "application/json").header("Idempotency-Key", "k2")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().get("orderId").asLong()).isNotEqualTo(first.json().get("orderId").asLong());
        assertThat(s.adminSale(id).get("reserved").asLong()).isEqualTo(2);
    }

    @Test
    void adminCreatesListsAndCountsSales()
    {
        final TestServer.Response created = s.post("/admin/sales", s.admin,
            "{\"name\":\"Bottles\",\"stock\":10,\"startsAt\":\"2030-01-01T12:00:00Z\",\"endsAt\":\"2030-01-01T13:00:00Z\"," +
                "\"perUserLimit\":1,\"paymentWindowSeconds\":300}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        final long id = created.json().get("id").asLong();
        assertThat(created.json().get("name").asText()).isEqualTo("Bottles");
        assertThat(created.json().get("stock").asLong()).isEqualTo(10);
        assertThat(created.json().get("paymentWindowSeconds").asLong()).isEqualTo(300);
        assertThat(created.header("Location")).isEqualTo("/admin/sales/" + id);

        final JsonNode one = s.adminSale(id);
        for (final String field : new String[] {"stock", "available", "reserved", "paid", "cancelled", "expired", "distinctBuyers"})
        {
            assertThat(one.has(field)).as(field).isTrue();
        }
        assertThat(one.get("admission").get("probability").asDouble()).isEqualTo(1.0);
        final TestServer.Response list = s.get("/admin/sales", s.admin);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().isArray()).isTrue();
        assertThat(list.json().findValuesAsText("name")).contains("Bottles");
        s.get("/admin/sales/424242", s.admin).problem(404, "UNKNOWN_SALE");
    }

    @Test
    void wrongRolesAreForbidden()
    {
        final long id = s.createSale(3, 0, 1, 60);
        s.get("/admin/sales", s.shopper("olga")).problem(403, "FORBIDDEN");
        s.post("/admin/sales", s.shopper("olga"), "{}").problem(403, "FORBIDDEN");
        s.get("/api/sales/" + id + "/key", s.admin).problem(403, "FORBIDDEN");
        s.post("/api/sales/" + id + "/purchase", s.admin, "{\"qty\":1,\"key\":\"x\"}").problem(403, "FORBIDDEN");
    }

    @Test
    void missingMalformedForgedAndExpiredTokensAre401()
    {
        final long id = s.createSale(3, 0, 1, 60);
        final String path = "/api/sales/" + id + "/key";
        final TestServer.Response missing = s.get(path, null).problem(401, "UNAUTHENTICATED");
        assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
        s.send(s.request(path, null).header("Authorization", "Basic dXNlcjpwYXNz").GET().build()).problem(401, "UNAUTHENTICATED");
        s.get(path, "garbage").problem(401, "UNAUTHENTICATED");
        s.get(path, "a.b.c").problem(401, "UNAUTHENTICATED");

        final Instant exp = Instant.ofEpochMilli(s.clock.get()).plusSeconds(3600);
        final String forged = JWT.create().withSubject("eve").withClaim("role", "shopper").withExpiresAt(exp)
            .sign(Algorithm.HMAC256("another-secret-another-secret-another-secret"));
        s.get(path, forged).problem(401, "UNAUTHENTICATED");

        final String good = s.shopper("eve");
        final String[] parts = good.split("\\.");
        final String tamperedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
            ("{\"sub\":\"admin\",\"role\":\"admin\",\"exp\":" + exp.getEpochSecond() + "}").getBytes(UTF_8));
        s.get("/admin/sales", parts[0] + "." + tamperedPayload + "." + parts[2]).problem(401, "UNAUTHENTICATED");

        final String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(UTF_8)) +
            "." + parts[1] + ".";
        s.get(path, none).problem(401, "UNAUTHENTICATED");

        final String noRole = JWT.create().withSubject("eve").withExpiresAt(exp).sign(Algorithm.HMAC256(TestServer.SECRET));
        s.get(path, noRole).problem(401, "UNAUTHENTICATED");

        final String expired = s.server.tokenIssuer().issue("eve", Role.SHOPPER, Instant.ofEpochMilli(s.clock.get()).minusSeconds(5));
        s.get(path, expired).problem(401, "TOKEN_EXPIRED");
    }

    @Test
    void aCachedTokenIsStillRejectedOnceItExpires()
    {
        final long id = s.createSale(3, 0, 1, 60);
        final String shortLived = s.server.tokenIssuer().issue("fay", Role.SHOPPER, Instant.ofEpochMilli(s.clock.get()).plusSeconds(30));
        assertThat(s.get("/api/sales/" + id + "/key", shortLived).status()).isEqualTo(200);
        assertThat(s.get("/api/sales/" + id + "/key", shortLived).status()).isEqualTo(200);
        s.clock.addAndGet(31_000);
        s.get("/api/sales/" + id + "/key", shortLived).problem(401, "TOKEN_EXPIRED");
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405()
    {
        s.get("/nope", null).problem(404, "NOT_FOUND");
        s.get("/api/sales/1/nope", null).problem(404, "NOT_FOUND");
        s.get("/api/sales/", null).problem(404, "NOT_FOUND");
        s.get("/demo/token", null).problem(404, "NOT_FOUND");
        final TestServer.Response wrong = s.send(s.request("/api/sales/1", null).DELETE().build()).problem(405, "METHOD_NOT_ALLOWED");
        assertThat(wrong.header("Allow")).isEqualTo("GET");
        assertThat(s.get("/api/sales/1/purchase", s.shopper("x")).problem(405, "METHOD_NOT_ALLOWED").header("Allow")).isEqualTo("POST");
        assertThat(s.send(s.request("/admin/sales", s.admin).PUT(HttpRequest.BodyPublishers.ofString("{}")).build())
            .problem(405, "METHOD_NOT_ALLOWED").header("Allow")).isEqualTo("GET, POST");
    }

    @Test
    void oversizedBodiesAre413AndNonJsonBodies415()
    {
        final long id = s.createSale(3, 0, 1, 60);
        final String padded = "{\"qty\":1,\"key\":\"" + s.keyFor(id, "liz") + "\"" + " ".repeat(10_000) + "}";
        s.post("/api/sales/" + id + "/purchase", s.shopper("liz"), padded).problem(413, "PAYLOAD_TOO_LARGE");
        s.send(s.request("/api/sales/" + id + "/purchase", s.shopper("liz")).header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1}")).build()).problem(415, "UNSUPPORTED_MEDIA_TYPE");
        s.send(s.request("/api/sales/" + id + "/purchase", s.shopper("liz"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1}")).build()).problem(415, "UNSUPPORTED_MEDIA_TYPE");
        s.send(s.request("/api/sales/" + id + "/purchase", s.shopper("liz")).header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"" + s.keyFor(id, "liz") + "\"}")).build());
        assertThat(s.adminSale(id).get("reserved").asLong()).isEqualTo(1);
        // A chunked body (no Content-Length) that grows too large is refused as well.
        final TestServer.Response chunked = s.send(s.request("/api/sales/" + id + "/purchase", s.shopper("liz2"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(padded.getBytes(UTF_8)))).build());
        chunked.problem(413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void healthAndMetricsAnswer()
    {
        assertThat(s.get("/health/live", null).status()).isEqualTo(200);
        assertThat(s.get("/health/ready", null).status()).isEqualTo(200);
        s.createSale(3, 0, 1, 60);
        final TestServer.Response metrics = s.get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body())
            .contains("flashsale_http_requests_total{outcome=\"SALE_CREATED\",route=\"ADMIN_CREATE_SALE\"}")
            .contains("flashsale_http_request_duration_seconds_bucket")
            .contains("flashsale_admission_probability{sale=\"1\"}")
            .contains("flashsale_ring_remaining_capacity")
            .contains("flashsale_ratelimit_rejections_total")
            .contains("flashsale_journal_append_seconds_count");
    }
}
