package io.flashsale.bench.scenario;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonPeekTest
{
    private static final String ORDER = "{\"orderId\":1234,\"saleId\":7,\"qty\":1,\"state\":\"RESERVED\",\"paymentDeadline\":\"2026-01-01T00:00:00Z\"}";
    private static final String PROBLEM = "{\"type\":\"https://flashsale.dev/problems/sold-out\",\"title\":\"The sale is sold out\",\"status\":410,"
        + "\"detail\":\"sale 7 has fewer units left than asked for\",\"outcome\":\"SOLD_OUT\"}";

    @Test
    void readsNumbersAndStringsOfCompactJson()
    {
        assertThat(JsonPeek.longField(ORDER, "orderId", -1)).isEqualTo(1234);
        assertThat(JsonPeek.longField(ORDER, "qty", -1)).isEqualTo(1);
        assertThat(JsonPeek.stringField(ORDER, "state")).isEqualTo("RESERVED");
        assertThat(JsonPeek.stringField(PROBLEM, "outcome")).isEqualTo("SOLD_OUT");
    }

    @Test
    void aMissingOrMistypedFieldGivesTheFallback()
    {
        assertThat(JsonPeek.longField(PROBLEM, "orderId", -1)).isEqualTo(-1);
        assertThat(JsonPeek.longField(ORDER, "state", -1)).isEqualTo(-1);
        assertThat(JsonPeek.stringField(ORDER, "orderId")).isNull();
        assertThat(JsonPeek.stringField(null, "outcome")).isNull();
    }
}
