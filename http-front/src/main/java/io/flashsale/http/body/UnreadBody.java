package io.flashsale.http.body;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.xnio.channels.StreamSourceChannel;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Discards a request body the answer did not need (a purchase refused at the sale gate never reads
 * its {@code {"qty":1,"key":...}}), from the bytes that came in with the headers.
 *
 * <p>Why: left unread, Undertow drains it at the end of the exchange by transferring it to
 * /dev/null, an fstat and a pwrite system call a request, about a tenth of an IO thread's time in a
 * sold-out flood. Reading it into a scratch buffer costs a copy. What has not arrived yet is left to
 * Undertow's drain, so this never waits. IO threads; one scratch buffer per thread.
 */
public final class UnreadBody
{
    /** Larger bodies are rare (refused with 413 before they are read) and left to Undertow. */
    private static final int MAX_DISCARD_BYTES = 4096;
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(1024));

    private UnreadBody()
    {
    }

    public static void discard(final HttpServerExchange exchange)
    {
        if (exchange.isRequestComplete() || !exchange.isPersistent())
        {
            return;
        }
        final long length = exchange.getRequestContentLength();
        // Unknown length (chunked) or a client waiting for 100-continue: leave the body to Undertow.
        if (length <= 0 || length > MAX_DISCARD_BYTES || exchange.getRequestHeaders().contains(Headers.EXPECT))
        {
            return;
        }
        final StreamSourceChannel channel = exchange.getRequestChannel();
        if (channel == null)
        {
            return; // a receiver already owns the channel
        }
        final ByteBuffer scratch = SCRATCH.get();
        try
        {
            int read;
            do
            {
                scratch.clear();
                read = channel.read(scratch);
            }
            while (read > 0);
        }
        catch (final IOException ex)
        {
            // The connection is failing; Undertow's own end of the exchange deals with it.
            exchange.setPersistent(false);
        }
    }
}
