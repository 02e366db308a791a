package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Slow clients (slowloris: headers or a body trickled in a byte at a time, or a connection opened
 * and left idle) are cut off by the server's timeouts, never hold an IO thread, and cannot take
 * more connections than the server's limit. The timeouts here are short; the bounds the test
 * waits are many times longer, so a slow machine only makes it slower, never wrong.
 */
class SlowClientTest
{
    private static final int SHORT_MILLIS = 400;
    private static final int BOUND_MILLIS = 15_000;

    private static TestServer server(final int ioThreads, final int maxConnections, final int idleMillis)
    {
        return new TestServer(config ->
        {
            config.server.ioThreads = ioThreads;
            config.server.requestParseTimeoutMillis = SHORT_MILLIS;
            config.server.bodyTimeoutMillis = SHORT_MILLIS;
            config.server.idleTimeoutMillis = idleMillis;
            config.server.writeTimeoutMillis = SHORT_MILLIS;
            config.server.maxConnections = maxConnections;
        }, new ServerEnvironment());
    }

    @Test
    void headersTrickledInForeverAreCutOffAtTheParseTimeout() throws Exception
    {
        try (TestServer server = server(2, 1000, 60_000); RawHttp slow = new RawHttp(server.server.port()))
        {
            slow.send("GET /api/time HTTP/1.1\r\nHost: flashsale\r\nX-Slow: ");
            final long deadline = System.currentTimeMillis() + BOUND_MILLIS;
            boolean open = true;
            while (open && System.currentTimeMillis() < deadline)
            {
                // One more byte of a header value every 100 ms: the headers never end.
                open = slow.send("a") && !slow.closedByServerWithin(100);
            }
            assertThat(open).as("the server still holds a connection whose headers never end").isFalse();
            assertThat(server.get("/api/time", null).status()).isEqualTo(200);
        }
    }

    @Test
    void aBodyTrickledInForeverIsAnswered408AndChangesNothing() throws Exception
    {
        try (TestServer server = server(2, 1000, 60_000))
        {
            final long sale = server.createSale(10, 0, 2, 600);
            final String body = "{\"qty\":1,\"key\":\"" + server.keyFor(sale, "slow") + "\"}";
            try (RawHttp slow = new RawHttp(server.server.port()))
            {
                slow.send("POST /api/sales/" + sale + "/purchase HTTP/1.1\r\nHost: flashsale\r\nAuthorization: Bearer " + server.shopper("slow")
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n");
                RawHttp.Response answer = null;
                final long deadline = System.currentTimeMillis() + BOUND_MILLIS;
                for (int i = 0; answer == null && i < body.length() - 1 && System.currentTimeMillis() < deadline; i++)
                {
                    slow.send(body.substring(i, i + 1));
                    try
                    {
                        answer = slow.read(100);
                    }
                    catch (final SocketTimeoutException notYet)
                    {
                        // still reading the body
                    }
                }
                if (answer == null)
                {
                    answer = slow.read(BOUND_MILLIS);
                }
                assertThat(answer).as("the server never gave up on the trickled body").isNotNull();
                assertThat(answer.status()).isEqualTo(408);
                assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
                final JsonNode problem = TestServer.JSON.readTree(answer.body());
                assertThat(problem.get("outcome").asText()).isEqualTo("REQUEST_TIMEOUT");
                assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(slow.closedByServerWithin(BOUND_MILLIS)).isTrue();
            }
            assertThat(server.adminSale(sale).get("available").asLong()).isEqualTo(10);
        }
    }

    @Test
    void aClientThatNeverReadsItsAnswersIsCutOffAtTheWriteTimeout() throws Exception
    {
        try (TestServer server = server(1, 1000, 60_000); Socket reader = new Socket())
        {
            // A tiny receive window and many pipelined requests for a large answer: the server's writes
            // stall once the buffers are full, and only the write timeout can free the connection.
            reader.setReceiveBufferSize(4096);
            reader.connect(new InetSocketAddress("127.0.0.1", server.server.port()), 5_000);
            final int metricsBytes = server.get("/metrics", null).body().length();
            final int requests = Math.max(200, 64 * 1024 * 1024 / Math.max(1, metricsBytes));
            final byte[] one = "GET /metrics HTTP/1.1\r\nHost: flashsale\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            final Thread writer = new Thread(() -> {
                try
                {
                    for (int i = 0; i < requests; i++)
                    {
                        reader.getOutputStream().write(one);
                    }
                }
                catch (final IOException closedByServer)
                {
                    // expected once the server gives up on this connection
                }
            });
            writer.setDaemon(true);
            writer.start();
            Thread.sleep(SHORT_MILLIS * 5L);

            // Now read: the stream must end (closed or reset) long before all answers could have come.
            reader.setSoTimeout(BOUND_MILLIS);
            long received = 0;
            final byte[] buffer = new byte[64 * 1024];
            try
            {
                for (int n; (n = reader.getInputStream().read(buffer)) >= 0; )
                {
                    received += n;
                }
            }
            catch (final SocketException reset)
            {
                // a reset is the server closing with requests still unread: as good as an end
            }
            assertThat(received).isLessThan((long)requests * metricsBytes / 2);
            // The server itself is fine.
            assertThat(server.get("/api/time", null).status()).isEqualTo(200);
        }
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosed() throws Exception
    {
        try (TestServer server = server(2, 1000, SHORT_MILLIS); RawHttp idle = new RawHttp(server.server.port()))
        {
            assertThat(idle.closedByServerWithin(BOUND_MILLIS)).isTrue();
        }
    }

    @Test
    void slowClientsDoNotHoldTheOnlyIoThread() throws Exception
    {
        try (TestServer server = server(1, 1000, 60_000))
        {
            final long sale = server.createSale(100, 0, 2, 600);
            final List<RawHttp> slow = new ArrayList<>();
            try
            {
                for (int i = 0; i < 40; i++)
                {
                    final RawHttp client = new RawHttp(server.server.port());
                    client.send(i % 2 == 0
                        ? "GET /api/time HTTP/1.1\r\nHost: flashsale\r\nX-Slow: "
                        : "POST /api/sales/" + sale + "/purchase HTTP/1.1\r\nHost: flashsale\r\nAuthorization: Bearer " + server.shopper("s" + i)
                            + "\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{");
                    slow.add(client);
                }
                // While forty clients dribble, everyone else is served by the one IO thread.
                for (int i = 0; i < 5; i++)
                {
                    slow.forEach(client -> client.send("a"));
                    assertThat(server.get("/api/time", null).status()).isEqualTo(200);
                    assertThat(server.purchase(sale, "fast-" + i, 1).status()).isEqualTo(201);
                }
                // And the dribblers are all cut off in the end.
                for (final RawHttp client : slow)
                {
                    assertThat(client.closedByServerWithin(BOUND_MILLIS)).isTrue();
                }
            }
            finally
            {
                for (final RawHttp client : slow)
                {
                    client.close();
                }
            }
            assertThat(server.adminSale(sale).get("reserved").asLong()).isEqualTo(5);
        }
    }

    @Test
    void connectionsAboveTheLimitWaitUntilOthersClose() throws Exception
    {
        final int limit = 8;
        try (TestServer server = server(1, limit, 60_000))
        {
            final List<RawHttp> held = new ArrayList<>();
            final ExecutorService pool = Executors.newSingleThreadExecutor();
            RawHttp waiting = null;
            try
            {
                // Connect and ask until the server stops taking connections: each one answered is kept open, idle.
                while (waiting == null && held.size() <= limit)
                {
                    final RawHttp client = new RawHttp(server.server.port()); // the kernel accepts it; the server may not
                    client.send("GET /api/time HTTP/1.1\r\nHost: flashsale\r\n\r\n");
                    try
                    {
                        assertThat(client.read(1_000).status()).isEqualTo(200);
                        held.add(client);
                    }
                    catch (final SocketTimeoutException notTaken)
                    {
                        waiting = client;
                    }
                }
                assertThat(waiting).as("the server took more than %d connections at once", limit).isNotNull();
                assertThat(held).hasSizeLessThanOrEqualTo(limit);

                for (final RawHttp client : held)
                {
                    client.close();
                }
                final RawHttp last = waiting;
                final Future<RawHttp.Response> answer = pool.submit(() -> last.read(BOUND_MILLIS));
                assertThat(answer.get(BOUND_MILLIS + 1_000, TimeUnit.MILLISECONDS).status()).isEqualTo(200);
            }
            finally
            {
                pool.shutdownNow();
                for (final RawHttp client : held)
                {
                    closeQuietly(client);
                }
                if (waiting != null)
                {
                    closeQuietly(waiting);
                }
            }
        }
    }

    private static void closeQuietly(final RawHttp client)
    {
        try
        {
            client.close();
        }
        catch (final IOException ignored)
        {
            // already closed
        }
    }
}
