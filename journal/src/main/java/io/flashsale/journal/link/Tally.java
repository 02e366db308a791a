package io.flashsale.journal.link;

import java.util.concurrent.atomic.AtomicLong;

/** A count written by one thread (an agent) and read by any: an ordered store, no lock, no fence on x86. */
final class Tally
{
    private final AtomicLong value = new AtomicLong();

    /** Writer thread only. */
    void add(final long n)
    {
        value.lazySet(value.get() + n);
    }

    /** Writer thread only. */
    void increment()
    {
        add(1);
    }

    /** Any thread. */
    long get()
    {
        return value.get();
    }
}
