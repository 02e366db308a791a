package io.flashsale.http.reply;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flashsale.engine.order.OrderState;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written order document must be byte for byte what Jackson and {@code Instant.toString}
 * wrote before it: clients parse it, and a repeated Idempotency-Key must get the same bytes.
 */
class OrderDocumentTest
{
    private static final JsonFactory JSON = new JsonFactory();

    @Test
    void matchesJacksonAndInstantToStringForEveryStateAndAwkwardInstants() throws IOException
    {
        final long[] instants = {
            0, 1, 999, 1000, 1001, -1, -999, -1000, -1001,
            Instant.parse("2026-11-26T00:50:00Z").toEpochMilli(),
            Instant.parse("2026-11-26T00:50:00.120Z").toEpochMilli(),
            Instant.parse("2026-11-26T00:50:00.007Z").toEpochMilli(),
            Instant.parse("1969-12-31T23:59:59.500Z").toEpochMilli(),
            Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(),
            Instant.parse("+10000-01-01T00:00:00.001Z").toEpochMilli(),
        };
        for (final OrderState state : OrderState.values())
        {
            for (final long instant : instants)
            {
                assertSame(1, 1, 1, state, instant);
            }
        }
        assertSame(Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, OrderState.PAID, 0);
        assertSame(Long.MIN_VALUE, -5, -7, OrderState.PAID, 0);
    }

    @Test
    void matchesJacksonOnRandomOrders() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(20261126);
        final OrderState[] states = OrderState.values();
        final long now = Instant.parse("2026-11-26T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 20_000; i++)
        {
            // Deadlines clustered in a few seconds (the cache's case) and spread over centuries.
            final long deadline = i % 2 == 0 ? now + random.nextLong(5_000) : random.nextLong(-5_000_000_000_000L, 200_000_000_000_000L);
            assertSame(random.nextLong(1, 1L << 53), random.nextLong(1, 1_000), random.nextInt(1, 1_000_000),
                states[random.nextInt(states.length)], deadline);
        }
    }

    private static void assertSame(final long orderId, final long saleId, final int qty, final OrderState state, final long deadline)
        throws IOException
    {
        final String written = new String(OrderDocument.write(orderId, saleId, qty, state, deadline), StandardCharsets.US_ASCII);
        assertThat(written).isEqualTo(jackson(orderId, saleId, qty, state, deadline));
    }

    private static String jackson(final long orderId, final long saleId, final int qty, final OrderState state, final long deadline)
        throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out))
        {
            json.writeStartObject();
            json.writeNumberField("orderId", orderId);
            json.writeNumberField("saleId", saleId);
            json.writeNumberField("qty", qty);
            json.writeStringField("state", state.name());
            json.writeStringField("paymentDeadline", Instant.ofEpochMilli(deadline).toString());
            json.writeEndObject();
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
