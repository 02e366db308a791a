package io.flashsale.bench.load;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything one load run measured: the stats of each step, how late the generator itself sent
 * requests compared with their intended time (its own lag, a health check of the tool), how many
 * arrivals were never sent before the hard deadline, and the run's wall-clock span.
 *
 * <p>One load loop thread writes an instance; the generator merges them after the loops stopped.
 */
public final class LoadStats
{
    private final Map<String, StepStats> steps = new LinkedHashMap<>();
    private final Histogram sendLagMicros = new Histogram(StepStats.HIGHEST_MICROS, 3);
    private long unsent;
    private long startNanos;
    private long endNanos;
    private String abortReason;

    StepStats step(final String name)
    {
        return steps.computeIfAbsent(name, StepStats::new);
    }

    void recordSendLag(final long lagNanos)
    {
        sendLagMicros.recordValue(Math.min(StepStats.HIGHEST_MICROS, Math.max(0, lagNanos / 1_000)));
    }

    void addUnsent(final long count)
    {
        unsent += count;
    }

    void span(final long start, final long end)
    {
        startNanos = start;
        endNanos = end;
    }

    void abort(final String reason)
    {
        if (reason != null && abortReason == null)
        {
            abortReason = reason;
        }
    }

    void add(final LoadStats other)
    {
        other.steps.forEach((name, stats) -> step(name).add(stats));
        sendLagMicros.add(other.sendLagMicros);
        unsent += other.unsent;
        startNanos = startNanos == 0 ? other.startNanos : Math.min(startNanos, other.startNanos);
        endNanos = Math.max(endNanos, other.endNanos);
        abort(other.abortReason);
    }

    /** Why the run stopped early (the server became unreachable), or null. */
    public String abortReason()
    {
        return abortReason;
    }

    /** Steps in first-seen order. */
    public Map<String, StepStats> steps()
    {
        return steps;
    }

    public Histogram sendLagMicros()
    {
        return sendLagMicros;
    }

    /** Arrivals (and follow-ups) that were due but never sent before the run's hard deadline. */
    public long unsent()
    {
        return unsent;
    }

    /** The run's start instant ({@link System#nanoTime()}). */
    public long startNanos()
    {
        return startNanos;
    }

    public long elapsedNanos()
    {
        return endNanos - startNanos;
    }

    /** Answers and errors of every step. */
    public long completed()
    {
        long total = 0;
        for (final StepStats stats : steps.values())
        {
            total += stats.count();
        }
        return total;
    }

    public long errors()
    {
        long total = 0;
        for (final StepStats stats : steps.values())
        {
            total += stats.errors();
        }
        return total;
    }

    /** Completed requests per second over the whole run, from the start instant to the last answer. */
    public double throughput()
    {
        final long elapsed = elapsedNanos();
        return elapsed <= 0 ? 0 : completed() * 1e9 / elapsed;
    }

    /** Every step's latencies in one histogram. */
    public Histogram allLatencyMicros()
    {
        final Histogram all = new Histogram(StepStats.HIGHEST_MICROS, 3);
        steps.values().forEach(s -> all.add(s.latencyMicros()));
        return all;
    }
}
