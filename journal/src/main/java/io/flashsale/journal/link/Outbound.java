package io.flashsale.journal.link;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The messages waiting for one publication. Messages are appended back to back during a duty
 * cycle and {@link #flush flushed} at its end as few offers as possible: each offer carries as
 * many whole messages as fit in one frame (the publication's maximum payload), so a busy link
 * sends one UDP datagram per few dozen commands. What the publication cannot take yet
 * (back-pressure, not connected) stays here for the next cycle.
 *
 * <p>Owned by one agent thread.
 */
final class Outbound
{
    private final UnsafeBuffer buffer;
    private int limit;
    private int sent;

    Outbound(final int capacity)
    {
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity, 64));
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Where a message of {@code length} bytes may be written, or -1 when there is no room for it. */
    int reserve(final int length)
    {
        if (limit + length > buffer.capacity())
        {
            compact();
            if (limit + length > buffer.capacity())
            {
                return -1;
            }
        }
        final int at = limit;
        limit += length;
        return at;
    }

    /** Drops the message just reserved at {@code at} (its writer found it could not be written). */
    void unreserve(final int at)
    {
        limit = at;
    }

    boolean append(final DirectBuffer source, final int offset, final int length)
    {
        final int at = reserve(length);
        if (at < 0)
        {
            return false;
        }
        buffer.putBytes(at, source, offset, length);
        return true;
    }

    boolean isEmpty()
    {
        return sent == limit;
    }

    int pendingBytes()
    {
        return limit - sent;
    }

    void clear()
    {
        limit = 0;
        sent = 0;
    }

    /**
     * Offers what is waiting, in frames of whole messages of at most the publication's maximum
     * payload each.
     *
     * @return the number of offers that succeeded
     */
    int flush(final ExclusivePublication publication)
    {
        if (publication == null)
        {
            return 0;
        }
        final int maxPayload = publication.maxPayloadLength();
        int offers = 0;
        while (sent < limit)
        {
            int end = sent;
            while (end < limit)
            {
                final int next = end + LinkWire.length(buffer, end);
                if (next - sent > maxPayload)
                {
                    break;
                }
                end = next;
            }
            if (end == sent)
            {
                throw new IllegalStateException("a " + LinkWire.length(buffer, sent) + "-byte message does not fit a frame of " + maxPayload);
            }
            final long result = publication.offer(buffer, sent, end - sent);
            if (result < 0)
            {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
                {
                    clear();
                }
                break;
            }
            sent = end;
            offers++;
        }
        if (sent == limit)
        {
            clear();
        }
        return offers;
    }

    private void compact()
    {
        if (sent > 0)
        {
            final int pending = limit - sent;
            buffer.putBytes(0, buffer, sent, pending);
            sent = 0;
            limit = pending;
        }
    }
}
