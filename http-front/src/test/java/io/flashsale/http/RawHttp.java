package io.flashsale.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as the test wrote it: for requests no well-behaved
 * client would send (broken syntax, lying lengths, bytes trickled in one at a time). Reads one
 * response, or notices that the server closed the connection. One thread.
 */
final class RawHttp implements AutoCloseable
{
    private final Socket socket;
    private final InputStream in;

    RawHttp(final int port) throws IOException
    {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
    }

    /** One answer: status, headers (lower-case names), body text, and the status line as sent (without CRLF). */
    record Response(int status, Map<String, String> headers, String body, String statusLine)
    {
        String header(final String name)
        {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Sends bytes; false when the server has already closed the connection. */
    boolean send(final byte[] bytes)
    {
        try
        {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        }
        catch (final IOException closed)
        {
            return false;
        }
    }

    boolean send(final String text)
    {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads one response within {@code timeoutMillis}. Returns null when the server closed the
     * connection without a (complete) response.
     *
     * @throws SocketTimeoutException when nothing conclusive arrived in time
     */
    Response read(final int timeoutMillis) throws IOException
    {
        return read(timeoutMillis, false);
    }

    /**
     * Reads one response, skipping interim 1xx ones; {@code head} says the request was a HEAD, so
     * the response has no body whatever its headers say.
     */
    Response read(final int timeoutMillis, final boolean head) throws IOException
    {
        Response response;
        do
        {
            response = readOne(timeoutMillis, head);
        }
        while (response != null && response.status() >= 100 && response.status() < 200);
        return response;
    }

    private Response readOne(final int timeoutMillis, final boolean toHead) throws IOException
    {
        socket.setSoTimeout(timeoutMillis);
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int lastFour = 0;
        while (lastFour != 0x0d0a0d0a) // the blank line after the headers
        {
            final int b = readByte();
            if (b < 0)
            {
                return null;
            }
            head.write(b);
            lastFour = (lastFour << 8) | b;
        }
        final String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        final String[] statusLine = lines[0].split(" ", 3);
        final int status = Integer.parseInt(statusLine[1]);
        final Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            if (colon > 0)
            {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        final byte[] body;
        if (toHead || status < 200 || status == 204 || status == 304)
        {
            body = new byte[0];
        }
        else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding")))
        {
            body = readChunked();
        }
        else if (headers.containsKey("content-length"))
        {
            body = readExactly(Integer.parseInt(headers.get("content-length")));
        }
        else if ("close".equalsIgnoreCase(headers.get("connection")))
        {
            body = in.readAllBytes(); // delimited by the end of the connection
        }
        else
        {
            body = new byte[0];
        }
        return body == null ? null : new Response(status, headers, new String(body, StandardCharsets.UTF_8), lines[0]);
    }

    /** True when the server closes the connection within {@code timeoutMillis} (anything it sends first is skipped). */
    boolean closedByServerWithin(final int timeoutMillis) throws IOException
    {
        final long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline)
        {
            socket.setSoTimeout((int)Math.max(1, deadline - System.currentTimeMillis()));
            try
            {
                if (readByte() < 0)
                {
                    return true;
                }
            }
            catch (final SocketTimeoutException stillOpen)
            {
                return false;
            }
        }
        return false;
    }

    private int readByte() throws IOException
    {
        try
        {
            return in.read();
        }
        catch (final SocketTimeoutException ex)
        {
            throw ex;
        }
        catch (final IOException reset)
        {
            return -1; // a reset is the server closing too
        }
    }

    private byte[] readExactly(final int length) throws IOException
    {
        final byte[] bytes = new byte[length];
        int at = 0;
        while (at < length)
        {
            final int n = in.read(bytes, at, length - at);
            if (n < 0)
            {
                return null;
            }
            at += n;
        }
        return bytes;
    }

    private byte[] readChunked() throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true)
        {
            final String sizeLine = readLine();
            if (sizeLine == null)
            {
                return null;
            }
            final int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0)
            {
                readLine();
                return body.toByteArray();
            }
            final byte[] chunk = readExactly(size);
            if (chunk == null)
            {
                return null;
            }
            body.write(chunk);
            readLine();
        }
    }

    private String readLine() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = readByte()) >= 0)
        {
            if (b == '\n')
            {
                return line.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
