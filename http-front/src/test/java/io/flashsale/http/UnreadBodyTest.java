package io.flashsale.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A purchase refused at the sale gate is answered before its body is read; the front then discards
 * the body itself. Whatever way the body arrives (with the headers, pipelined with the next
 * request, or only after the answer), the connection must go on with the next request parsed from
 * the right byte, and nothing may reach the engine.
 */
class UnreadBodyTest
{
    private static TestServer server;
    private static long soldOut;

    @BeforeAll
    static void start()
    {
        server = new TestServer();
        soldOut = server.createSale(1, 0, 1, 600);
        assertThat(server.purchase(soldOut, "first", 1).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    @Test
    void refusedPurchasesOnOneConnectionEachGetTheirAnswerAndTheNextRequestStillParses() throws IOException
    {
        try (RawHttp connection = new RawHttp(server.server.port()))
        {
            for (int i = 0; i < 5; i++)
            {
                assertThat(connection.send(purchase("late-" + i, ""))).isTrue();
                assertSoldOut(connection.read(5_000));
            }
            assertThat(connection.send(time())).isTrue();
            assertTime(connection.read(5_000));
        }
        assertThat(server.adminSale(soldOut).get("reserved").asLong()).isEqualTo(1);
    }

    @Test
    void pipelinedRequestsBehindAnUnreadBodyAreAnsweredInOrder() throws IOException
    {
        try (RawHttp connection = new RawHttp(server.server.port()))
        {
            // One write: two refused purchases, then a read, then one more refused purchase.
            assertThat(connection.send(purchase("p1", "") + purchase("p2", "") + time() + purchase("p3", ""))).isTrue();
            assertSoldOut(connection.read(5_000));
            assertSoldOut(connection.read(5_000));
            assertTime(connection.read(5_000));
            assertSoldOut(connection.read(5_000));
        }
    }

    @Test
    void aBodyThatArrivesAfterTheAnswerIsStillSkipped() throws IOException, InterruptedException
    {
        try (RawHttp connection = new RawHttp(server.server.port()))
        {
            final String whole = purchase("slow", "");
            final int split = whole.indexOf("\r\n\r\n") + 4 + 5; // the headers and five bytes of the body
            assertThat(connection.send(whole.substring(0, split))).isTrue();
            assertSoldOut(connection.read(5_000));
            Thread.sleep(100);
            assertThat(connection.send(whole.substring(split) + time())).isTrue();
            assertTime(connection.read(5_000));
        }
    }

    @Test
    void aBodyLargerThanTheScratchBufferIsSkippedWhole() throws IOException
    {
        try (RawHttp connection = new RawHttp(server.server.port()))
        {
            // Padding inside the JSON: 3,000 bytes, more than the 1 KiB scratch buffer, within the body limit.
            assertThat(connection.send(purchase("padded", ",\"pad\":\"" + "x".repeat(3_000) + "\"") + time())).isTrue();
            assertSoldOut(connection.read(5_000));
            assertTime(connection.read(5_000));
        }
    }

    private static String purchase(final String subject, final String extraJson)
    {
        final String body = "{\"qty\":1,\"key\":\"" + server.keyFor(soldOut, subject) + "\"" + extraJson + "}";
        return server.rawPurchaseHead(soldOut, subject, "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length) + body;
    }

    private static String time()
    {
        return "GET /api/time HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    private static void assertSoldOut(final RawHttp.Response response)
    {
        assertThat(response).isNotNull();
        assertThat(response.status()).as(response.body()).isEqualTo(410);
        assertThat(response.header("content-type")).isEqualTo("application/problem+json");
        assertThat(response.body()).contains("\"outcome\":\"SOLD_OUT\"");
    }

    private static void assertTime(final RawHttp.Response response)
    {
        assertThat(response).isNotNull();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("epochMillis");
    }
}
