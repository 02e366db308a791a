package io.flashsale.bench.drill.crowd;

import io.flashsale.bench.drill.DrillReport;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.scenario.Books;
import io.flashsale.bench.scenario.Check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a crowd drill measured: the crowd's outcomes, and the server's live heap before the crowd,
 * right after it, after the idle expiry with no traffic, and after a trickle of newcomers; bytes
 * per shopper; and the checks against the memory budget. Written to {@code report.json}.
 */
public record CrowdReport(
    String settings,
    long shoppers,
    long buyers,
    double seconds,
    double requestsPerSecond,
    Map<String, Map<String, Long>> outcomes,
    long liveHeapBeforeKb,
    long liveHeapPeakKb,
    long liveHeapAfterIdleKb,
    long liveHeapAfterTrickleKb,
    long rssBeforeKb,
    long rssPeakKb,
    long rssAfterKb,
    double bytesPerShopperAtPeak,
    double bytesPerShopperAfterExpiry,
    double bytesGivenBackPerShopper,
    Books books,
    List<Check> checks) implements DrillReport
{
    static CrowdReport of(final CrowdSettings settings, final LoadStats stats, final CrowdTally tally, final double seconds,
        final Books books, final long[] heapKb, final long[] rssKb, final int otherShoppers)
    {
        final long n = settings.shoppers();
        final double peakBytes = (heapKb[1] - heapKb[0]) * 1024.0;
        final double retainedBytes = (heapKb[3] - heapKb[0]) * 1024.0;
        final double idleBytes = (heapKb[2] - heapKb[0]) * 1024.0;
        final long cachedTokens = Math.min(n + otherShoppers, settings.tokenCacheSize());
        final double peakBudget = (double)n * settings.shopperBudgetBytes() + cachedTokens * settings.tokenBudgetBytes()
            + tally.buyers * settings.buyerBudgetBytes();
        final double retainedBudget = cachedTokens * settings.tokenBudgetBytes() + tally.buyers * settings.buyerBudgetBytes()
            + (double)otherShoppers * settings.shopperBudgetBytes();
        final List<Check> checks = new ArrayList<>();
        checks.add(Check.of("every request answered, no 5xx but 503", tally.errors == 0 && tally.serverErrors == 0 && stats.unsent() == 0,
            String.format("%,d unanswered, %,d 5xx, %,d never sent", tally.errors, tally.serverErrors, stats.unsent())));
        checks.add(Check.of("every shopper got to purchase", tally.shoppersTried == n, String.format("%,d of %,d", tally.shoppersTried, n)));
        checks.add(books.neverOversold(tally.buyers, tally.unansweredPurchases));
        checks.add(Check.of("the stock sold out", books.available() == 0, String.format("%,d units left of %,d", books.available(), books.stock())));
        checks.add(Check.of("idempotency state answers every buyer's double click", tally.duplicatesAnswered == tally.buyers,
            String.format("%,d of %,d answered with the original order, %,d refused", tally.duplicatesAnswered, tally.buyers, tally.duplicatesRefused)));
        checks.add(Check.of("memory at the peak within budget", peakBytes <= peakBudget,
            String.format("%,.0f bytes (%.0f per shopper); budget %,.0f = %,d shoppers x %d + %,d cached tokens x %d + %,d buyers x %d",
                peakBytes, peakBytes / n, peakBudget, n, settings.shopperBudgetBytes(), cachedTokens, settings.tokenBudgetBytes(),
                tally.buyers, settings.buyerBudgetBytes())));
        // Judged with no traffic at all after the crowd: expiry must not wait for the next shopper.
        checks.add(Check.of("rate-limit state expires: after the idle expiry, with no traffic, only tokens and buyers remain, within budget",
            idleBytes <= retainedBudget,
            String.format("%,.0f bytes kept (%.0f per shopper) with no traffic, %,.0f after a trickle; budget %,.0f = %,d cached tokens x %d + %,d buyers x %d",
                idleBytes, idleBytes / n, retainedBytes, retainedBudget, cachedTokens, settings.tokenBudgetBytes(), tally.buyers,
                settings.buyerBudgetBytes())));
        return new CrowdReport(settings.describe(), n, tally.buyers, Math.round(seconds * 10) / 10.0, Math.round(stats.throughput()),
            DrillReports.outcomes(stats), heapKb[0], heapKb[1], heapKb[2], heapKb[3], rssKb[0], rssKb[1], rssKb[2],
            Math.round(peakBytes / n), Math.round(idleBytes / n), Math.round((peakBytes - idleBytes) / n), books, checks);
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
        text.append(String.format("crowd drill: %s%n  %s%n", verdict().label(), settings));
        text.append(String.format("  %,d shoppers in %.1f s (%,.0f requests/s), %,d bought%n", shoppers, seconds, requestsPerSecond, buyers));
        outcomes.forEach((step, counts) -> text.append(String.format("  %-9s %s%n", step, counts)));
        text.append(String.format("  live heap (KiB): before %,d, after the crowd %,d, after the idle expiry %,d (no traffic), after a trickle %,d%n",
            liveHeapBeforeKb, liveHeapPeakKb, liveHeapAfterIdleKb, liveHeapAfterTrickleKb));
        text.append(String.format("  RSS (KiB): before %,d, after the crowd %,d, at the end %,d%n", rssBeforeKb, rssPeakKb, rssAfterKb));
        text.append(String.format("  bytes per shopper: %.0f at the peak, %.0f kept after the idle expiry, %.0f given back%n",
            bytesPerShopperAtPeak, bytesPerShopperAfterExpiry, bytesGivenBackPerShopper));
        for (final Check check : checks)
        {
            text.append(String.format("  %s  %s: %s%n", check.label(), check.name(), check.detail()));
        }
        return text.toString();
    }
}
