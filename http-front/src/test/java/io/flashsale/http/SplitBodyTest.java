package io.flashsale.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body may reach the server in several reads: the front keeps the first part as it came and
 * only joins parts when a second one carries bytes. Whole, split by length, or chunked, the same
 * purchase must be read the same way.
 */
class SplitBodyTest
{
    private static TestServer server;
    private static long sale;

    @BeforeAll
    static void start()
    {
        server = new TestServer();
        sale = server.createSale(100, 0, 1, 600);
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    @Test
    void aBodyInThreeReadsIsReadWhole() throws IOException, InterruptedException
    {
        final String body = body("three-parts");
        try (RawHttp connection = new RawHttp(server.server.port()))
        {
            assertThat(connection.send(head("three-parts", "Content-Length: " + body.length()))).isTrue();
            for (final String part : new String[] {body.substring(0, 4), body.substring(4, 12), body.substring(12)})
            {
                Thread.sleep(60);
                assertThat(connection.send(part)).isTrue();
            }
            assertReserved(connection.read(5_000));
        }
    }

    @Test
    void aChunkedBodyIsReadWhole() throws IOException, InterruptedException
    {
        final String body = body("chunked");
        try (RawHttp connection = new RawHttp(server.server.port()))
        {
            assertThat(connection.send(head("chunked", "Transfer-Encoding: chunked"))).isTrue();
            for (final String part : new String[] {body.substring(0, 7), body.substring(7)})
            {
                assertThat(connection.send(Integer.toHexString(part.length()) + "\r\n" + part + "\r\n")).isTrue();
                Thread.sleep(60);
            }
            assertThat(connection.send("0\r\n\r\n")).isTrue();
            assertReserved(connection.read(5_000));
        }
    }

    @Test
    void aSplitBodyOverTheLimitIsRefusedWith413() throws IOException
    {
        final String padding = "x".repeat(3_000);
        try (RawHttp connection = new RawHttp(server.server.port()))
        {
            assertThat(connection.send(head("too-large", "Transfer-Encoding: chunked"))).isTrue();
            for (int i = 0; i < 2; i++)
            {
                connection.send(Integer.toHexString(padding.length()) + "\r\n" + padding + "\r\n");
            }
            final RawHttp.Response response = connection.read(5_000);
            assertThat(response).isNotNull();
            assertThat(response.status()).as(response.body()).isEqualTo(413);
        }
        assertThat(server.adminSale(sale).get("distinctBuyers").asLong()).isLessThanOrEqualTo(2);
    }

    private static String body(final String subject)
    {
        return "{\"qty\":1,\"key\":\"" + server.keyFor(sale, subject) + "\"}";
    }

    private static String head(final String subject, final String framing)
    {
        return server.rawPurchaseHead(sale, subject, framing);
    }

    private static void assertReserved(final RawHttp.Response response)
    {
        assertThat(response).isNotNull();
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("\"state\":\"RESERVED\"");
        assertThat(response.body().getBytes(StandardCharsets.UTF_8).length).isEqualTo(Integer.parseInt(response.header("content-length")));
    }
}
