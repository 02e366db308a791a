package io.flashsale.bench.drill.overload;

import io.flashsale.bench.drill.DrillReport;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.drill.LatencyMillis;
import io.flashsale.bench.drill.MemorySampler;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.scenario.Books;
import io.flashsale.bench.scenario.Check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What an overload drill measured and concluded, as written to {@code report.json} and printed.
 * The drill passes when every check passed; a check it could not judge (memory over too short a
 * run) is reported as such and the drill has not passed.
 *
 * <p>Built once on the main thread; the checks list may be appended to before it is written.
 */
public record OverloadReport(
    String settings,
    double capacityPurchasesPerSecond,
    double offeredPerSecond,
    long flashSaleStock,
    long answered,
    long unanswered,
    long neverSent,
    long serverErrors,
    long unexpectedOutcomes,
    String firstUnexpected,
    Map<String, Map<String, Long>> outcomes,
    LatencyMillis purchases,
    LatencyMillis purchasesOnTheWire,
    LatencyMillis admittedPurchases,
    LatencyMillis generatorSendLag,
    long[] answersPerSecond,
    List<MemoryPoint> memory,
    long readyMillisAfterLoad,
    double[] probeBefore,
    double[] probeAfter,
    Books flashSaleBooks,
    List<Check> checks) implements DrillReport
{
    static final int MEMORY_SAMPLES_TO_JUDGE = 6;
    static final String HEAP_FLAT = "heap flat: after-GC heap of the last third within 1.5 x + 32 MiB of the first";
    static final String RSS_FLAT = "resident memory flat: the process's own (RssAnon) at the end within 1.25 x + 64 MiB of the start";

    /**
     * Memory at one second of the overload: seconds from its start, MiB. {@code rssAnonMb} is the
     * process's own resident memory (heap, native); {@code rssFileMb} mapped files, which grow with
     * the journal.
     */
    public record MemoryPoint(double second, long rssMb, long rssAnonMb, long rssFileMb, long heapAfterGcMb, long heapCommittedMb, long gcs)
    {
    }

    static OverloadReport of(final OverloadSettings settings, final double capacity, final double rate, final long stock,
        final LoadStats stats, final OverloadTally tally, final List<MemorySampler.Sample> samples, final long startWall,
        final long readyMillis, final double[] before, final double[] after, final Books books, final boolean alive)
    {
        final List<MemoryPoint> memory = samples.stream()
            .map(s -> new MemoryPoint(Math.round((s.wallMillis() - startWall) / 100.0) / 10.0, s.rssKb() / 1024, s.rssAnonKb() / 1024,
                s.rssFileKb() / 1024, s.heapAfterGcKb() / 1024, s.heapCommittedKb() / 1024, s.gcs()))
            .toList();
        final long[] perSecond = Arrays.copyOf(tally.answersPerSecond, settings.seconds() + 5);
        final LatencyMillis purchases = LatencyMillis.of(tally.purchaseMicros);
        final LatencyMillis wire = LatencyMillis.of(tally.purchaseWireMicros);
        final LatencyMillis lag = LatencyMillis.of(stats.sendLagMicros());
        final LatencyMillis admitted = LatencyMillis.of(tally.reservedMicros);
        final List<Check> checks = new ArrayList<>();
        checks.add(Check.of("the server stayed up", alive && readyMillis >= 0, alive ? "alive, ready " + readyMillis + " ms after the load" : "the process died"));
        checks.add(Check.of("every request answered (no timeout, no dropped connection)",
            tally.errors == 0 && stats.unsent() == 0 && stats.abortReason() == null,
            String.format("%,d without an answer, %,d never sent%s", tally.errors, stats.unsent(),
                stats.abortReason() == null ? "" : "; " + stats.abortReason())));
        checks.add(Check.of("no 5xx but 503", tally.serverErrors == 0, String.format("%,d", tally.serverErrors)
            + (tally.firstUnexpected == null ? "" : "; first: " + tally.firstUnexpected)));
        checks.add(Check.of("only real outcomes (2xx, 409, 410, 425, 429, 503)", tally.unexpected == 0,
            String.format("%,d others", tally.unexpected) + (tally.firstUnexpected == null ? "" : "; first: " + tally.firstUnexpected)));
        // The generator shares the machine: if it could not send on schedule, the load was never offered.
        final boolean offered = lag.p99() <= settings.maxP99Millis() && stats.unsent() == 0;
        checks.add(Check.of("the load was offered on schedule: every arrival sent, generator send lag p99 <= " + settings.maxP99Millis() + " ms",
            offered, lag + (offered ? "" : String.format("; the generator and server together answered %,.0f req/s of the %,.0f offered: "
                + "offer less (--multiple) or run the generator on another machine", stats.throughput(), rate))));
        checks.add(Check.of("purchases answered quickly: p99 <= " + settings.maxP99Millis() + " ms from the intended send time",
            purchases.p99() <= settings.maxP99Millis(), purchases + "; on the wire " + wire));
        checks.add(Check.of("admitted purchases: some, with p99 <= " + settings.maxAdmittedP99Millis() + " ms",
            admitted.count() > 0 && admitted.p99() <= settings.maxAdmittedP99Millis(), admitted.toString()));
        memoryChecks(memory, checks);
        checks.add(Check.of("back to normal at once: ready within 1 s and the next purchases reserved",
            readyMillis >= 0 && readyMillis <= 1_000 && after[2] == before[2] && after[1] <= Math.max(20, 5 * before[1]),
            String.format("ready after %d ms; first purchase %.1f ms, median of %d %.1f ms, %d reserved (before the load: median %.1f ms, %d reserved)",
                readyMillis, after[0], 20, after[1], (int)after[2], before[1], (int)before[2])));
        checks.add(books.neverOversold(tally.reserved, tally.unansweredPurchases));
        return new OverloadReport(settings.describe(), Math.round(capacity), Math.round(rate), stock, stats.completed(), tally.errors,
            stats.unsent(), tally.serverErrors, tally.unexpected, tally.firstUnexpected, DrillReports.outcomes(stats), purchases,
            wire, admitted, lag, perSecond, memory, readyMillis, before, after, books, checks);
    }

    /**
     * Flat means: after the first fifth of the run (heap sizing, JIT), the heap after collections in
     * the last third stays within 1.5 x + 32 MiB of the first third, and the resident set at the
     * end within 1.25 x + 64 MiB of where it was then. Fewer than {@value #MEMORY_SAMPLES_TO_JUDGE}
     * samples (one a second) are too few to tell a trend: both checks are then not judged.
     */
    static void memoryChecks(final List<MemoryPoint> memory, final List<Check> checks)
    {
        final List<MemoryPoint> during = memory.stream().filter(p -> p.second() >= 0).toList();
        if (during.size() < MEMORY_SAMPLES_TO_JUDGE)
        {
            final String why = "only " + during.size() + " memory samples, " + MEMORY_SAMPLES_TO_JUDGE + " needed (run longer)";
            checks.add(Check.notJudged(HEAP_FLAT, why));
            checks.add(Check.notJudged(RSS_FLAT, why));
            return;
        }
        final int warm = during.size() / 5;
        final List<MemoryPoint> judged = during.subList(warm, during.size());
        final int third = Math.max(1, judged.size() / 3);
        final long heapFirst = judged.subList(0, third).stream().mapToLong(MemoryPoint::heapAfterGcMb).max().orElse(0);
        final long heapLast = judged.subList(judged.size() - third, judged.size()).stream().mapToLong(MemoryPoint::heapAfterGcMb).max().orElse(0);
        // The process's own memory; mapped files are reported beside it, since the journal's grow by design.
        final long rssWarm = judged.get(0).rssAnonMb();
        final long rssEnd = judged.get(judged.size() - 1).rssAnonMb();
        final long rssMax = during.stream().mapToLong(MemoryPoint::rssAnonMb).max().orElse(0);
        checks.add(Check.of(HEAP_FLAT,
            heapLast <= heapFirst * 1.5 + 32, String.format("first third %d MiB, last third %d MiB (max after GC)", heapFirst, heapLast)));
        checks.add(Check.of(RSS_FLAT,
            rssEnd <= rssWarm * 1.25 + 64, String.format("%d MiB after warm-up, %d MiB at the end, %d MiB at most; mapped files %d -> %d MiB",
                rssWarm, rssEnd, rssMax, judged.get(0).rssFileMb(), judged.get(judged.size() - 1).rssFileMb())));
    }

    /** Every check passed: none failed, none left unjudged. */
    public boolean passed()
    {
        return verdict() == Check.Verdict.PASS;
    }

    @Override
    public Check.Verdict verdict()
    {
        return Check.overall(checks);
    }

    public Check check(final String prefix)
    {
        return checks.stream().filter(c -> c.name().startsWith(prefix)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no check " + prefix));
    }

    @Override
    public String summary()
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("overload drill: %s%n  %s%n", verdict().label(), settings));
        text.append(String.format("  capacity %,.0f purchases/s; offered %,.0f req/s; answered %,d (%,d unanswered, %,d never sent)%n",
            capacityPurchasesPerSecond, offeredPerSecond, answered, unanswered, neverSent));
        outcomes.forEach((step, counts) -> text.append(String.format("  %-9s %s%n", step, counts)));
        text.append(String.format("  purchases          %s%n", purchases));
        text.append(String.format("  on the wire        %s%n", purchasesOnTheWire));
        text.append(String.format("  admitted (201)     %s%n", admittedPurchases));
        text.append(String.format("  generator lag      %s%n", generatorSendLag));
        if (!memory.isEmpty())
        {
            text.append("  memory (s: own RSS MiB + mapped files MiB / heap after GC MiB):");
            final int step = Math.max(1, memory.size() / 12);
            for (int i = 0; i < memory.size(); i += step)
            {
                final MemoryPoint p = memory.get(i);
                text.append(String.format(" %.0f: %d+%d/%d", p.second(), p.rssAnonMb(), p.rssFileMb(), p.heapAfterGcMb()));
            }
            text.append('\n');
        }
        for (final Check check : checks)
        {
            text.append(String.format("  %s  %s: %s%n", check.label(), check.name(), check.detail()));
        }
        return text.toString();
    }
}
