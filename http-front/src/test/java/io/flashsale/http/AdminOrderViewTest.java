package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who bought, over HTTP: GET /admin/orders/{id} shows any order with the subject of the token that
 * bought it, read through the core, and still does after a restart on the same journal. Only an
 * admin may ask.
 */
class AdminOrderViewTest
{
    private static final String ALICE = "alice@example.com";

    @Test
    void theAdminViewOfAnOrderNamesItsShopperBeforeAndAfterARestart()
    {
        final AtomicReference<String> journal = new AtomicReference<>();
        final long saleId;
        final long orderId;
        final String deadline;
        final Instant reservedAt;
        try (TestServer before = new TestServer(config -> {
            journal.set(config.journal.directory);
            // Snapshots as often as they come, so that a restart may recover from one as well as from the journal.
            config.journal.snapshotEveryCommands = 2;
        }, new ServerEnvironment()))
        {
            saleId = before.createSale(5, 0, 2, 60);
            reservedAt = Instant.ofEpochMilli(before.clock.get());
            final TestServer.Response bought = before.purchase(saleId, ALICE, 1);
            assertThat(bought.status()).as(bought.body()).isEqualTo(201);
            orderId = bought.json().get("orderId").asLong();
            deadline = bought.json().get("paymentDeadline").asText();
            assertThat(before.purchase(saleId, "bob", 2).status()).isEqualTo(201);

            final JsonNode order = adminOrder(before, orderId);
            assertThat(order.get("orderId").asLong()).isEqualTo(orderId);
            assertThat(order.get("saleId").asLong()).isEqualTo(saleId);
            assertThat(order.get("qty").asInt()).isEqualTo(1);
            assertThat(order.get("state").asText()).isEqualTo("RESERVED");
            assertThat(order.get("paymentDeadline").asText()).isEqualTo(deadline);
            assertThat(Instant.parse(order.get("reservedAt").asText())).isEqualTo(reservedAt);
            assertThat(order.get("shopper").asText()).isEqualTo(ALICE);
            assertThat(adminOrder(before, orderId + 1).get("shopper").asText()).isEqualTo("bob");

            final TestServer.Response paid = before.post("/api/orders/" + orderId + "/pay", before.shopper(ALICE), "{\"paymentRef\":\"psp-1\"}");
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            assertThat(adminOrder(before, orderId).get("state").asText()).isEqualTo("PAID");
        }

        try (TestServer after = new TestServer(config -> config.journal.directory = journal.get(), new ServerEnvironment()))
        {
            final JsonNode order = adminOrder(after, orderId);
            assertThat(order.get("shopper").asText()).isEqualTo(ALICE);
            assertThat(order.get("state").asText()).isEqualTo("PAID");
            assertThat(order.get("paymentDeadline").asText()).isEqualTo(deadline);
            assertThat(adminOrder(after, orderId + 1).get("shopper").asText()).isEqualTo("bob");
        }
    }

    @Test
    void onlyAnAdminMayAskAndAnUnknownOrBadIdIsAProblem()
    {
        try (TestServer server = new TestServer())
        {
            final long saleId = server.createSale(5, 0, 1, 60);
            final long orderId = server.purchase(saleId, ALICE, 1).json().get("orderId").asLong();

            server.get("/admin/orders/" + orderId, server.shopper(ALICE)).problem(403, "FORBIDDEN");
            server.get("/admin/orders/" + orderId, null).problem(401, "UNAUTHENTICATED");
            server.get("/admin/orders/" + (orderId + 1), server.admin).problem(404, "UNKNOWN_ORDER");
            server.get("/admin/orders/abc", server.admin).problem(400, "INVALID");
            server.get("/admin/orders/0", server.admin).problem(400, "INVALID");
        }
    }

    private static JsonNode adminOrder(final TestServer server, final long orderId)
    {
        final TestServer.Response response = server.get("/admin/orders/" + orderId, server.admin);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        return response.json();
    }
}
