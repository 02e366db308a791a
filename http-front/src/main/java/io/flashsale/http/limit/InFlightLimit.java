package io.flashsale.http.limit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The global cap on requests published to the ring and not yet answered. It bounds the memory and
 * the latency the front can pile up behind a slow journal, whatever the ring size.
 *
 * <p>Any thread: IO threads acquire, the reply path releases.
 */
public final class InFlightLimit
{
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    public InFlightLimit(final int max)
    {
        this.max = max;
    }

    /** @return true if the caller may publish; it must then {@link #release()} exactly once */
    public boolean tryAcquire()
    {
        while (true)
        {
            final int current = inFlight.get();
            if (current >= max)
            {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1))
            {
                return true;
            }
        }
    }

    public void release()
    {
        inFlight.decrementAndGet();
    }

    public int current()
    {
        return inFlight.get();
    }
}
