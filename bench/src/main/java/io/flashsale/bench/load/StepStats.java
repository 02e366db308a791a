package io.flashsale.bench.load;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latencies and outcomes of one step of a workload (e.g. "purchase"): an HdrHistogram of
 * microseconds from each request's intended send time to its answer, and a count per outcome
 * label. Errors (connection lost, timeout) are outcomes too, prefixed "error:".
 *
 * <p>One load loop thread writes an instance; {@link #add} merges them after the loops stopped.
 */
public final class StepStats
{
    /** Up to an hour, three significant digits: the resolution HdrHistogram is usually run at. */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    private final String step;
    private final Histogram latencyMicros = new Histogram(HIGHEST_MICROS, 3);
    private final Map<String, long[]> outcomes = new LinkedHashMap<>();
    private long errors;

    public StepStats(final String step)
    {
        this.step = step;
    }

    void record(final long latencyNanos, final String outcome)
    {
        latencyMicros.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, latencyNanos / 1_000)));
        count(outcome);
    }

    void count(final String outcome)
    {
        outcomes.computeIfAbsent(outcome, k -> new long[1])[0]++;
        if (outcome.startsWith("error:"))
        {
            errors++;
        }
    }

    void add(final StepStats other)
    {
        latencyMicros.add(other.latencyMicros);
        other.outcomes.forEach((k, v) -> outcomes.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        errors += other.errors;
    }

    public String step()
    {
        return step;
    }

    public Histogram latencyMicros()
    {
        return latencyMicros;
    }

    /** Answers and errors counted for this step. */
    public long count()
    {
        long total = 0;
        for (final long[] value : outcomes.values())
        {
            total += value[0];
        }
        return total;
    }

    public long errors()
    {
        return errors;
    }

    /** Outcome label → count, in first-seen order. */
    public Map<String, Long> outcomes()
    {
        final Map<String, Long> copy = new LinkedHashMap<>();
        outcomes.forEach((k, v) -> copy.put(k, v[0]));
        return copy;
    }

    public long outcome(final String label)
    {
        final long[] value = outcomes.get(label);
        return value == null ? 0 : value[0];
    }
}
