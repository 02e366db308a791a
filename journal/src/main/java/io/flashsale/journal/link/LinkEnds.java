package io.flashsale.journal.link;

import io.aeron.Aeron;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.concurrent.TimeUnit;

import static io.aeron.protocol.DataHeaderFlyweight.HEADER_LENGTH;

/**
 * What both ends of the link set up the same way: the frame-size check, the many-to-one outbox
 * the public API writes into, the Aeron client on the end's own driver, and the agent's idle
 * strategy. Called once, from a {@link LinkServer} or {@link LinkClient} constructor, or a replication end's
 * ({@code io.flashsale.journal.replication}).
 */
public final class LinkEnds
{
    private LinkEnds()
    {
    }

    /** Refuses an mtu whose frames cannot carry the longest message whole. */
    public static void checkFrameFits(final int mtu)
    {
        if (mtu - HEADER_LENGTH < LinkWire.MAX_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException("link mtu " + mtu + " cannot carry a " + LinkWire.MAX_MESSAGE_LENGTH + "-byte message in one frame");
        }
    }

    /** The outbox any thread writes into and the agent drains, at least {@code capacity} bytes. */
    public static ManyToOneRingBuffer outbox(final int capacity)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            BitUtil.findNextPositivePowerOfTwo(capacity) + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }

    /** An Aeron client on the end's driver whose conductor the end's agent invokes (no thread of its own). */
    public static Aeron connect(final LinkDriver driver, final ErrorHandler errorHandler)
    {
        return Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver.directory())
            .useConductorAgentInvoker(true)
            .errorHandler(errorHandler));
    }

    /** The configured idle strategy, or one that backs off to 250 µs naps: 2-core machines, never a spinning agent. */
    public static IdleStrategy idleOrBackoff(final IdleStrategy configured)
    {
        return configured != null ? configured : new BackoffIdleStrategy(
            100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(250));
    }
}
