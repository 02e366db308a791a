package io.flashsale.bench.report;

import org.HdrHistogram.Histogram;

/**
 * The latency figures a report prints, in microseconds, read from one HdrHistogram of
 * microseconds. Immutable; any thread.
 */
public record Percentiles(long count, long p50, long p90, long p99, long p999, long p9999, long max, double mean)
{
    public static Percentiles of(final Histogram micros)
    {
        if (micros.getTotalCount() == 0)
        {
            return new Percentiles(0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new Percentiles(
            micros.getTotalCount(),
            micros.getValueAtPercentile(50),
            micros.getValueAtPercentile(90),
            micros.getValueAtPercentile(99),
            micros.getValueAtPercentile(99.9),
            micros.getValueAtPercentile(99.99),
            micros.getMaxValue(),
            micros.getMean());
    }

    /** Microseconds as milliseconds with three decimals, the way the tables print them. */
    public static String millis(final long micros)
    {
        return String.format("%.3f", micros / 1000.0);
    }
}
