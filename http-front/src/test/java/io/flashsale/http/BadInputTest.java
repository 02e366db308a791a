package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every class of bad input gets the right 4xx with a problem document, changes nothing in the
 * engine (the admin counts stay as they were), and the server keeps serving.
 */
class BadInputTest
{
    private static TestServer s;
    private static long sale;
    private static long order;
    private static String key;
    private static String owner;

    @BeforeAll
    static void start()
    {
        s = new TestServer();
        sale = s.createSale(100, 0, 3, 300);
        key = s.keyFor(sale, "owner");
        owner = s.shopper("owner");
        order = s.purchase(sale, "owner", 1).json().get("orderId").asLong();
    }

    @AfterAll
    static void stop()
    {
        s.close();
    }

    record Case(String name, int status, String outcome, String method, String path, String token, String contentType, String body)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    static Stream<Case> cases()
    {
        final String purchase = "/api/sales/" + sale + "/purchase";
        final String pay = "/api/orders/" + order + "/pay";
        final String json = "application/json";
        final List<Case> cases = new ArrayList<>();
        final String k = "\"key\":\"" + key + "\"";
        // Malformed and truncated JSON, wrong shapes.
        cases.add(new Case("truncated JSON", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":1," + k));
        cases.add(new Case("not JSON", 400, "INVALID", "POST", purchase, owner, json, "qty=1"));
        cases.add(new Case("empty body", 400, "INVALID", "POST", purchase, owner, json, ""));
        cases.add(new Case("JSON array", 400, "INVALID", "POST", purchase, owner, json, "[1]"));
        cases.add(new Case("JSON string", 400, "INVALID", "POST", purchase, owner, json, "\"hello\""));
        cases.add(new Case("trailing garbage", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":1," + k + "} x"));
        cases.add(new Case("two objects", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":1," + k + "}{}"));
        cases.add(new Case("single quotes", 400, "INVALID", "POST", purchase, owner, json, "{'qty':1," + k + "}"));
        cases.add(new Case("comment", 400, "INVALID", "POST", purchase, owner, json, "{/*x*/\"qty\":1," + k + "}"));
        cases.add(new Case("duplicate field", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":1,\"qty\":1," + k + "}"));
        cases.add(new Case("unknown field", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":1," + k + ",\"price\":0}"));
        cases.add(new Case("missing qty", 400, "INVALID", "POST", purchase, owner, json, "{" + k + "}"));
        cases.add(new Case("missing key", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":1}"));
        cases.add(new Case("null qty", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":null," + k + "}"));
        // Wrong types and ranges.
        cases.add(new Case("qty as string", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":\"1\"," + k + "}"));
        cases.add(new Case("qty as boolean", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":true," + k + "}"));
        cases.add(new Case("qty as object", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":{}," + k + "}"));
        cases.add(new Case("negative qty", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":-1," + k + "}"));
        cases.add(new Case("zero qty", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":0," + k + "}"));
        cases.add(new Case("fractional qty", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":1.5," + k + "}"));
        cases.add(new Case("exponent qty", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":1e0," + k + "}"));
        cases.add(new Case("huge qty", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":99999999999999999999999," + k + "}"));
        cases.add(new Case("int overflow qty", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":4294967297," + k + "}"));
        cases.add(new Case("qty above limit", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":4," + k + "}"));
        cases.add(new Case("key as number", 400, "INVALID", "POST", purchase, owner, json, "{\"qty\":1,\"key\":5}"));
        // Ids that are not ids.
        cases.add(new Case("sale id text", 400, "INVALID", "POST", "/api/sales/abc/purchase", owner, json, "{\"qty\":1," + k + "}"));
        cases.add(new Case("sale id negative", 400, "INVALID", "POST", "/api/sales/-3/purchase", owner, json, "{\"qty\":1," + k + "}"));
        cases.add(new Case("sale id fraction", 400, "INVALID", "POST", "/api/sales/1.5/purchase", owner, json, "{\"qty\":1," + k + "}"));
        cases.add(new Case("order id leading zero", 400, "INVALID", "GET", "/api/orders/01", owner, null, null));
        cases.add(new Case("order id huge", 400, "INVALID", "GET", "/api/orders/123456789012345678901", owner, null, null));
        cases.add(new Case("unknown sale", 404, "UNKNOWN_SALE", "POST", "/api/sales/777777/purchase", owner, json, "{\"qty\":1," + k + "}"));
        // Sizes and media types.
        cases.add(new Case("oversized body", 413, "PAYLOAD_TOO_LARGE", "POST", purchase, owner, json, "{\"qty\":1," + k + ",\"pad\":\"" + "x".repeat(5000) + "\"}"));
        cases.add(new Case("form content type", 415, "UNSUPPORTED_MEDIA_TYPE", "POST", purchase, owner, "application/x-www-form-urlencoded", "qty=1"));
        cases.add(new Case("no content type", 415, "UNSUPPORTED_MEDIA_TYPE", "POST", purchase, owner, null, "{\"qty\":1," + k + "}"));
        cases.add(new Case("json lookalike type", 415, "UNSUPPORTED_MEDIA_TYPE", "POST", purchase, owner, "application/jsonx", "{\"qty\":1," + k + "}"));
        // Tokens.
        cases.add(new Case("no token", 401, "UNAUTHENTICATED", "POST", purchase, null, json, "{\"qty\":1," + k + "}"));
        cases.add(new Case("garbage token", 401, "UNAUTHENTICATED", "POST", purchase, "%%%garbage%%%", json, "{\"qty\":1," + k + "}"));
        cases.add(new Case("shopper on admin", 403, "FORBIDDEN", "POST", "/admin/sales", owner, json, "{}"));
        // Orders: other shopper, paying twice is in ApiRoutesTest; bad pay bodies here.
        cases.add(new Case("pay without ref", 400, "INVALID", "POST", pay, owner, json, "{}"));
        cases.add(new Case("pay empty ref", 400, "INVALID", "POST", pay, owner, json, "{\"paymentRef\":\"\"}"));
        cases.add(new Case("pay ref too long", 400, "INVALID", "POST", pay, owner, json, "{\"paymentRef\":\"" + "r".repeat(129) + "\"}"));
        cases.add(new Case("pay ref control char", 400, "INVALID", "POST", pay, owner, json, "{\"paymentRef\":\"a\\u0000b\"}"));
        cases.add(new Case("pay by another shopper", 403, "NOT_OWNER", "POST", pay, "OTHER", json, "{\"paymentRef\":\"x\"}"));
        cases.add(new Case("cancel by another shopper", 403, "NOT_OWNER", "POST", "/api/orders/" + order + "/cancel", "OTHER", null, null));
        cases.add(new Case("cancel with a body", 400, "INVALID", "POST", "/api/orders/" + order + "/cancel", owner, json, "{\"why\":\"x\"}"));
        // Admin bodies.
        final String a = "ADMIN";
        cases.add(new Case("sale without name", 400, "INVALID", "POST", "/admin/sales", a, json,
            "{\"stock\":1,\"startsAt\":\"2030-01-01T00:00:00Z\",\"endsAt\":\"2030-01-02T00:00:00Z\",\"perUserLimit\":1,\"paymentWindowSeconds\":60}"));
        cases.add(new Case("sale zero stock", 400, "INVALID", "POST", "/admin/sales", a, json,
            "{\"name\":\"n\",\"stock\":0,\"startsAt\":\"2030-01-01T00:00:00Z\",\"endsAt\":\"2030-01-02T00:00:00Z\",\"perUserLimit\":1,\"paymentWindowSeconds\":60}"));
        cases.add(new Case("sale bad instant", 400, "INVALID", "POST", "/admin/sales", a, json,
            "{\"name\":\"n\",\"stock\":1,\"startsAt\":\"tomorrow\",\"endsAt\":\"2030-01-02T00:00:00Z\",\"perUserLimit\":1,\"paymentWindowSeconds\":60}"));
        cases.add(new Case("sale ends before start", 400, "INVALID", "POST", "/admin/sales", a, json,
            "{\"name\":\"n\",\"stock\":1,\"startsAt\":\"2030-01-02T00:00:00Z\",\"endsAt\":\"2030-01-01T00:00:00Z\",\"perUserLimit\":1,\"paymentWindowSeconds\":60}"));
        cases.add(new Case("sale epoch instant", 400, "INVALID", "POST", "/admin/sales", a, json,
            "{\"name\":\"n\",\"stock\":1,\"startsAt\":1893456000000,\"endsAt\":\"2030-01-02T00:00:00Z\",\"perUserLimit\":1,\"paymentWindowSeconds\":60}"));
        cases.add(new Case("sale name too long", 400, "INVALID", "POST", "/admin/sales", a, json,
            "{\"name\":\"" + "é".repeat(65) + "\",\"stock\":1,\"startsAt\":\"2030-01-01T00:00:00Z\",\"endsAt\":\"2030-01-02T00:00:00Z\",\"perUserLimit\":1,\"paymentWindowSeconds\":60}"));
        cases.add(new Case("sale zero window", 400, "INVALID", "POST", "/admin/sales", a, json,
            "{\"name\":\"n\",\"stock\":1,\"startsAt\":\"2030-01-01T00:00:00Z\",\"endsAt\":\"2030-01-02T00:00:00Z\",\"perUserLimit\":1,\"paymentWindowSeconds\":0}"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsAClearErrorAndChangesNothing(final Case c)
    {
        final JsonNode before = s.adminSale(sale);
        final int salesBefore = s.get("/admin/sales", s.admin).json().size();
        final String token = switch (c.token() == null ? "" : c.token())
        {
            case "ADMIN" -> s.admin;
            case "OTHER" -> s.shopper("someone-else");
            default -> c.token();
        };
        final HttpRequest.Builder request = s.request(c.path(), token);
        if (c.contentType() != null)
        {
            request.header("Content-Type", c.contentType());
        }
        request.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body()));
        final TestServer.Response response = s.send(request.build()).problem(c.status(), c.outcome());
        assertThat(response.json().get("detail").asText()).isNotBlank();

        final JsonNode after = s.adminSale(sale);
        for (final String field : new String[] {"available", "reserved", "paid", "cancelled", "expired", "distinctBuyers"})
        {
            assertThat(after.get(field).asLong()).as(field).isEqualTo(before.get(field).asLong());
        }
        assertThat(s.get("/admin/sales", s.admin).json().size()).isEqualTo(salesBefore);
        assertThat(s.get("/api/orders/" + order, owner).json().get("state").asText()).isEqualTo("RESERVED");
        assertThat(s.get("/health/live", null).status()).isEqualTo(200);
    }

    @Test
    void errorsExplainWhatWasWrong()
    {
        final String purchase = "/api/sales/" + sale + "/purchase";
        assertThat(s.post(purchase, owner, "{\"qty\":1.5,\"key\":\"" + key + "\"}").json().get("detail").asText())
            .contains("qty").contains("integer");
        assertThat(s.post(purchase, owner, "{\"qty\":1,\"key\":\"" + key + "\",\"price\":0}").json().get("detail").asText())
            .contains("unknown field 'price'");
        assertThat(s.post(purchase, owner, "{\"qty\":9,\"key\":\"" + key + "\"}").json().get("detail").asText())
            .contains("between 1 and 3");
        assertThat(s.post(purchase, owner, "{\"qty\":1,").json().get("detail").asText()).contains("malformed JSON");
    }
}
