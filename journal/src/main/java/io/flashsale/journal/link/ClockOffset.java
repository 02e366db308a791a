package io.flashsale.journal.link;

/**
 * The edge's estimate of how far the core's clock is from its own, from TIME_REQUEST/TIME_REPLY
 * round trips (Cristian's method): a sample's offset is {@code core - (sent + received) / 2}, off
 * by at most half its round trip, so among the last {@value #WINDOW} samples the one with the
 * lowest round trip wins.
 *
 * <p>Samples are added by the link client's agent thread; the estimate is read by any thread
 * (volatile fields).
 */
public final class ClockOffset
{
    static final int WINDOW = 16;

    private final long[] offsets = new long[WINDOW];
    private final long[] roundTrips = new long[WINDOW];
    private int samples;

    private volatile long offsetNanos;
    private volatile long roundTripNanos = Long.MAX_VALUE;
    private volatile int sampleCount;

    /** Agent thread only. */
    void sample(final long edgeSentNanos, final long coreNanos, final long edgeReceivedNanos)
    {
        final long roundTrip = edgeReceivedNanos - edgeSentNanos;
        if (roundTrip < 0)
        {
            return;
        }
        final int slot = samples++ % WINDOW;
        offsets[slot] = coreNanos - (edgeSentNanos + roundTrip / 2);
        roundTrips[slot] = roundTrip;
        int best = 0;
        final int filled = Math.min(samples, WINDOW);
        for (int i = 1; i < filled; i++)
        {
            if (roundTrips[i] < roundTrips[best])
            {
                best = i;
            }
        }
        offsetNanos = offsets[best];
        roundTripNanos = roundTrips[best];
        sampleCount = samples;
    }

    /** Agent thread only: forget every sample (another core answers now). */
    void reset()
    {
        samples = 0;
        offsetNanos = 0;
        roundTripNanos = Long.MAX_VALUE;
        sampleCount = 0;
    }

    /** Core clock minus edge clock, nanoseconds; 0 before the first sample. Any thread. */
    public long offsetNanos()
    {
        return offsetNanos;
    }

    /** The round trip of the sample the offset comes from (the estimate's error is at most half of it). Any thread. */
    public long roundTripNanos()
    {
        return roundTripNanos;
    }

    /** Samples taken since the last join. Any thread. */
    public int sampleCount()
    {
        return sampleCount;
    }

    /** True once at least one sample came back. Any thread. */
    public boolean isKnown()
    {
        return sampleCount > 0;
    }
}
