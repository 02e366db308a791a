package io.flashsale.bench.drill.diskfull;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The answers of one phase of the disk-full drill: how many of each kind (status and problem
 * outcome, e.g. {@code 201}, {@code 503 JOURNAL_FULL}), how many never came within the bound, and
 * the slowest. Any client thread records; the drill reads it after the load stopped.
 */
public final class PhaseTally
{
    public static final String RESERVED = "201";
    static final String JOURNAL_FULL = "503 JOURNAL_FULL";

    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final AtomicLong unanswered = new AtomicLong();
    private final LongAccumulator slowestMillis = new LongAccumulator(Math::max, 0);

    void answered(final String kind, final long millis)
    {
        answers.computeIfAbsent(kind, k -> new LongAdder()).increment();
        slowestMillis.accumulate(millis);
    }

    void unanswered(final long millis)
    {
        unanswered.incrementAndGet();
        slowestMillis.accumulate(millis);
    }

    public long count(final String kind)
    {
        final LongAdder adder = answers.get(kind);
        return adder == null ? 0 : adder.sum();
    }

    public long answered()
    {
        return answers.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Answers other than a reservation or a journal-full refusal. */
    long others()
    {
        return answered() - count(RESERVED) - count(JOURNAL_FULL);
    }

    public long unanswered()
    {
        return unanswered.get();
    }

    public long slowestMillis()
    {
        return slowestMillis.get();
    }

    /** Kind → count, sorted, for the report. */
    public Map<String, Long> answers()
    {
        final Map<String, Long> sorted = new TreeMap<>();
        answers.forEach((kind, count) -> sorted.put(kind, count.sum()));
        return sorted;
    }
}
