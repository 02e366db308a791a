package io.flashsale.engine.pipeline;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that another thread will make true; the bound only stops a hung test. */
final class Poll
{
    private Poll()
    {
    }

    static void until(final BooleanSupplier condition, final Duration bound, final Supplier<String> whatWeWaitFor)
    {
        final long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("gave up after " + bound + " waiting for " + whatWeWaitFor.get());
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + whatWeWaitFor.get(), ex);
            }
        }
    }
}
