package io.flashsale.bench.drill;

import org.HdrHistogram.Histogram;

/** Latency figures of one histogram of microseconds, in milliseconds, for reports. Immutable. */
public record LatencyMillis(long count, double p50, double p90, double p99, double p999, double max)
{
    public static LatencyMillis of(final Histogram micros)
    {
        if (micros.getTotalCount() == 0)
        {
            return new LatencyMillis(0, 0, 0, 0, 0, 0);
        }
        return new LatencyMillis(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
            ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
    }

    private static double ms(final long micros)
    {
        return Math.round(micros / 10.0) / 100.0;
    }

    @Override
    public String toString()
    {
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%,d)", p50, p90, p99, p999, max, count);
    }
}
