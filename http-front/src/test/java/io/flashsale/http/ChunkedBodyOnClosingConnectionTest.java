package io.flashsale.http;

import io.flashsale.http.page.PageAssets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that says {@code Connection: close} and sends a chunked body the answer never reads
 * still gets its answer before the connection closes: a HEAD (whose answer has no body), a 304, a
 * page or API error, and a body that has not even arrived yet. Found by {@link HostileInputFuzzTest}
 * (seed -4675513651598651591: {@code HEAD /assets/app.js/extra} got no answer at all).
 */
class ChunkedBodyOnClosingConnectionTest
{
    private static final String BODY = "{\"unexpected\":0}";
    private static final String CHUNKED_BODY = Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n";

    private static TestServer server;
    private static String asset;
    private static String assetEtag;

    /** A request line, extra header lines (each ending in CRLF), and the status its answer must have. */
    record Case(String requestLine, String headers, int status)
    {
        boolean head()
        {
            return requestLine.startsWith("HEAD ");
        }

        @Override
        public String toString()
        {
            return requestLine + " -> " + status;
        }
    }

    @BeforeAll
    static void start()
    {
        server = new TestServer();
        final PageAssets assets = PageAssets.load(false);
        final String name = assets.versionedNames().stream().filter(n -> n.startsWith("app.") && n.endsWith(".js")).findFirst().orElseThrow();
        asset = "/assets/" + name;
        assetEtag = assets.asset(name).etag();
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    static Stream<Case> cases()
    {
        return Stream.of(
            new Case("HEAD /assets/app.js/extra", "", 404),
            new Case("HEAD " + asset, "", 200),
            new Case("HEAD /", "", 200),
            new Case("HEAD /page/current-sale", "", 200),
            new Case("GET " + asset, "If-None-Match: " + assetEtag + "\r\n", 304),
            new Case("HEAD /api/time", "", 405),
            new Case("HEAD /api/no-such-route", "", 404),
            new Case("GET /assets/app.js/extra", "", 404),
            new Case("GET /api/time", "", 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void anUnreadChunkedBodyOnAClosingConnectionStillGetsTheAnswer(final Case c) throws IOException
    {
        try (RawHttp http = new RawHttp(server.server.port()))
        {
            assertThat(http.send(head(c, "close") + CHUNKED_BODY)).isTrue();
            assertAnswer(c, http.read(5_000, c.head()));
        }
    }

    @Test
    void aChunkedBodyStillOnItsWayDoesNotHoldBackTheAnswer() throws IOException
    {
        final Case c = new Case("HEAD /assets/app.js/extra", "", 404);
        try (RawHttp http = new RawHttp(server.server.port()))
        {
            // The chunk announces 0x40 bytes; five arrive, the rest never does.
            assertThat(http.send(head(c, "close") + "40\r\n{\"une")).isTrue();
            assertAnswer(c, http.read(5_000, true));
        }
    }

    @Test
    void onAConnectionThatGoesOnTheUnreadChunkedBodyIsSkippedAndTheNextRequestParses() throws IOException
    {
        final List<Case> requests = List.of(new Case("HEAD /assets/app.js/extra", "", 404), new Case("HEAD " + asset, "", 200),
            new Case("HEAD /api/time", "", 405));
        try (RawHttp http = new RawHttp(server.server.port()))
        {
            for (final Case c : requests)
            {
                assertThat(http.send(head(c, "keep-alive") + CHUNKED_BODY)).isTrue();
                assertAnswer(c, http.read(5_000, c.head()));
            }
            assertThat(http.send("GET /api/time HTTP/1.1\r\nHost: localhost\r\n\r\n")).isTrue();
            final RawHttp.Response time = http.read(5_000);
            assertThat(time).isNotNull();
            assertThat(time.status()).as(time.body()).isEqualTo(200);
            assertThat(time.body()).contains("epochMillis");
        }
    }

    private static String head(final Case c, final String connection)
    {
        return c.requestLine() + " HTTP/1.1\r\n" +
            "Host: localhost\r\n" +
            "Connection: " + connection + "\r\n" +
            c.headers() +
            "Content-Type: application/json\r\n" +
            "Transfer-Encoding: chunked\r\n\r\n";
    }

    private static void assertAnswer(final Case c, final RawHttp.Response answer)
    {
        assertThat(answer).as("%s: an answer before the connection closed", c.requestLine()).isNotNull();
        assertThat(answer.status()).as("%s: %s", c.requestLine(), answer.body()).isEqualTo(c.status());
        if (c.status() >= 400)
        {
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            if (!c.head())
            {
                assertThat(answer.body()).contains("\"status\":" + c.status());
            }
        }
    }
}
