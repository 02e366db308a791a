package io.flashsale.http;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shopper whose reservation was acknowledged, and who repeats the request with the same
 * Idempotency-Key after the server restarted, gets the original 201, even though the sale sold out
 * meanwhile and the gate would turn a new attempt away. The answer must not depend on a restart.
 */
class IdempotencyAfterRestartTest
{
    @Test
    void aRepeatedKeyAfterARestartOnASoldOutSaleGetsTheOriginalAnswer()
    {
        final AtomicReference<String> journal = new AtomicReference<>();
        final long saleId;
        final TestServer.Response original;
        final TestServer.Response paid;
        try (TestServer before = new TestServer(config -> journal.set(config.journal.directory), new ServerEnvironment()))
        {
            saleId = before.createSale(2, 0, 1, 60);
            original = before.send(purchase(before, saleId, "ivan", "attempt-1"));
            assertThat(original.status()).as(original.body()).isEqualTo(201);
            // The other unit is bought and paid for: the sale is sold out, and ivan's order changes state
            // afterwards (paid), which must not change the replayed answer.
            assertThat(before.purchase(saleId, "wendy", 1).status()).isEqualTo(201);
            final long orderId = original.json().get("orderId").asLong();
            paid = before.post("/api/orders/" + orderId + "/pay", before.shopper("ivan"), "{\"paymentRef\":\"psp-77\"}");
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        }

        try (TestServer after = new TestServer(config -> config.journal.directory = journal.get(), new ServerEnvironment()))
        {
            final TestServer.Response again = after.send(purchase(after, saleId, "ivan", "attempt-1"));
            assertThat(again.status()).as(again.body()).isEqualTo(201);
            assertThat(again.body()).isEqualTo(original.body());
            assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");

            // A new attempt, by ivan with another key or by anyone else, meets the sold-out sale.
            after.send(purchase(after, saleId, "ivan", "attempt-2")).problem(410, "SOLD_OUT");
            after.send(purchase(after, saleId, "xena", "attempt-1")).problem(410, "SOLD_OUT");
            assertThat(after.adminSale(saleId).get("paid").asLong()).isEqualTo(1);
            assertThat(after.adminSale(saleId).get("reserved").asLong()).isEqualTo(1);
        }
    }

    private static HttpRequest purchase(final TestServer server, final long saleId, final String shopper, final String idempotencyKey)
    {
        return server.request("/api/sales/" + saleId + "/purchase", server.shopper(shopper))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"" + server.keyFor(saleId, shopper) + "\"}"))
            .build();
    }
}
