package io.flashsale.bench.drill.overload;

import org.HdrHistogram.Histogram;

/**
 * What one load loop saw of an overload: latency of the purchases the engine reserved (the
 * admitted path) and of every purchase answer (from its intended send time, and from the moment it
 * went on the wire), answers per second of the run, and anything that
 * is not a real outcome (a 5xx other than 503, a 4xx a well-formed purchase should never get, a
 * request without an answer).
 *
 * <p>Written by one loop thread; merged by the main thread after the run.
 */
final class OverloadTally
{
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    final Histogram reservedMicros = new Histogram(HIGHEST_MICROS, 3);
    final Histogram purchaseMicros = new Histogram(HIGHEST_MICROS, 3);
    /** From the moment a purchase went on the wire to its answer: the server's share, without the generator's queue. */
    final Histogram purchaseWireMicros = new Histogram(HIGHEST_MICROS, 3);
    final long[] answersPerSecond = new long[3_700];
    long reserved;
    long serverErrors;
    long unexpected;
    long errors;
    /** Purchases without an answer: each may or may not have reserved a unit. */
    long unansweredPurchases;
    String firstUnexpected;

    void add(final OverloadTally other)
    {
        reservedMicros.add(other.reservedMicros);
        purchaseMicros.add(other.purchaseMicros);
        purchaseWireMicros.add(other.purchaseWireMicros);
        for (int i = 0; i < answersPerSecond.length; i++)
        {
            answersPerSecond[i] += other.answersPerSecond[i];
        }
        reserved += other.reserved;
        serverErrors += other.serverErrors;
        unexpected += other.unexpected;
        errors += other.errors;
        unansweredPurchases += other.unansweredPurchases;
        if (firstUnexpected == null)
        {
            firstUnexpected = other.firstUnexpected;
        }
    }

    static long micros(final long nanos)
    {
        return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1_000));
    }
}
