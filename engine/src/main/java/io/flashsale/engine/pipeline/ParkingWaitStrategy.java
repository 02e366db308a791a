package io.flashsale.engine.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits the way a ring on a small, shared machine should. For the next command: a short spin, a few
 * yields, then short naps (as {@code SleepingWaitStrategy} does, so a busy ring's producers never pay
 * for a wake-up); and once the ring has been empty for about a millisecond, a real block until a
 * producer publishes, so an idle ring (a sold-out flood answered at the front, a quiet night) has no
 * timer wake-ups eating the CPU the IO threads need. While an earlier stage still works on a
 * command (the reply stage waiting for journal and logic): spin, yield, nap, never a busy loop that
 * would hold a core the stage it waits for needs.
 *
 * <p>Producers pay for the wake-up only when a stage is actually blocked: {@link #signalAllWhenBlocking}
 * takes the monitor only if a waiter raised the flag, so a busy ring publishes without it. The
 * monitor is the ring's idle path, never the engine's.
 */
public final class ParkingWaitStrategy implements WaitStrategy
{
    private static final int SPINS = 100;
    private static final int YIELDS = 8;
    /** Asks for a microsecond; the kernel's timer slack makes it about 50-60 µs. */
    private static final long NAP_NANOS = 1_000;
    /** Naps on an empty ring before blocking: about a millisecond. */
    private static final int NAPS_BEFORE_BLOCKING = 20;

    private final Object monitor = new Object();
    private final AtomicBoolean signalNeeded = new AtomicBoolean();

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException
    {
        if (cursor.get() < sequence)
        {
            awaitPublished(sequence, cursor, barrier);
        }
        long available;
        int tries = 0;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            tries = backOff(tries, false);
        }
        return available;
    }

    private void awaitPublished(final long sequence, final Sequence cursor, final SequenceBarrier barrier)
        throws AlertException, InterruptedException
    {
        int tries = 0;
        while (tries < SPINS + YIELDS + NAPS_BEFORE_BLOCKING)
        {
            if (cursor.get() >= sequence)
            {
                return;
            }
            barrier.checkAlert();
            tries = backOff(tries, true);
        }
        synchronized (monitor)
        {
            while (cursor.get() < sequence)
            {
                // Raise the flag before the last look, so a publish after that look always signals.
                signalNeeded.set(true);
                if (cursor.get() >= sequence)
                {
                    break;
                }
                barrier.checkAlert();
                monitor.wait();
            }
        }
    }

    /** Spins, then yields, then naps; counts on through the naps only when {@code countNaps}. */
    private static int backOff(final int tries, final boolean countNaps)
    {
        if (tries < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (tries < SPINS + YIELDS)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(NAP_NANOS);
            return countNaps ? tries + 1 : tries;
        }
        return tries + 1;
    }

    @Override
    public void signalAllWhenBlocking()
    {
        if (signalNeeded.getAndSet(false))
        {
            synchronized (monitor)
            {
                monitor.notifyAll();
            }
        }
    }

    @Override
    public String toString()
    {
        return "ParkingWaitStrategy{spins=" + SPINS + ", yields=" + YIELDS + ", napsBeforeBlocking=" + NAPS_BEFORE_BLOCKING + "}";
    }
}
