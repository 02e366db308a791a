package io.flashsale.http.body;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UnreadBody} on a plain Undertow handler that answers whether the request was complete
 * after the discard: a body that came with the headers is consumed there and then (so Undertow has
 * nothing left to drain); one still on its way is left alone, and the connection goes on.
 */
class UnreadBodyDiscardTest
{
    private static Undertow undertow;
    private static int port;

    @BeforeAll
    static void start()
    {
        undertow = Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setIoThreads(1)
            .setHandler(exchange -> {
                UnreadBody.discard(exchange);
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                exchange.getResponseSender().send("complete=" + exchange.isRequestComplete());
            })
            .build();
        undertow.start();
        port = ((InetSocketAddress)undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterAll
    static void stop()
    {
        undertow.stop();
    }

    @Test
    void aBodyThatCameWithTheHeadersIsConsumedOnTheSpot() throws IOException
    {
        try (Socket socket = connect())
        {
            send(socket, post("{\"qty\":1,\"key\":\"abc\"}") + post("x".repeat(3_000)));
            assertThat(readBody(socket)).isEqualTo("complete=true");
            assertThat(readBody(socket)).isEqualTo("complete=true");
        }
    }

    @Test
    void aBodyStillOnItsWayIsLeftToUndertowAndTheConnectionGoesOn() throws IOException, InterruptedException
    {
        try (Socket socket = connect())
        {
            final String whole = post("{\"qty\":1,\"key\":\"abc\"}");
            final int split = whole.indexOf("\r\n\r\n") + 4 + 3;
            send(socket, whole.substring(0, split));
            assertThat(readBody(socket)).isEqualTo("complete=false");
            Thread.sleep(50);
            send(socket, whole.substring(split) + post("{}"));
            assertThat(readBody(socket)).isEqualTo("complete=true");
        }
    }

    @Test
    void requestsWithoutALengthOrWaitingForContinueAreLeftAlone() throws IOException
    {
        try (Socket socket = connect())
        {
            send(socket, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            assertThat(readBody(socket)).isEqualTo("complete=false");
            send(socket, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(readBody(socket)).isEqualTo("complete=true");
        }
    }

    private static String post(final String body)
    {
        return "POST / HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: " +
            body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static Socket connect() throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(final Socket socket, final String text) throws IOException
    {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** LocalAnswers one response with a Content-Length and returns its body. */
    private static String readBody(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int lastFour = 0;
        while (lastFour != 0x0d0a0d0a)
        {
            final int b = in.read();
            assertThat(b).as("the server closed the connection").isNotNegative();
            head.write(b);
            lastFour = (lastFour << 8) | b;
        }
        int length = 0;
        for (final String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n"))
        {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15))
            {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
