package io.flashsale.bench.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.Wrk;
import io.flashsale.bench.report.LatencyPlot;
import io.flashsale.bench.report.Percentiles;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.ScenarioResult;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison's one table: throughput and p99 of each system, and the ratios the README's goals
 * are stated in (flashsale ÷ Redis for the purchase path, flashsale ÷ bare for the sold-out path,
 * generator ÷ wrk for the tool itself). Also written as compare.txt, compare.json and one plot of
 * the open-loop latencies side by side.
 *
 * <p>Filled by {@link Comparison} on the main thread.
 */
public final class CompareReport
{
    private final LoadSettings load;
    private final double rate;
    private final Duration duration;
    LoadStats generatorCeiling;
    Wrk.Result wrk;
    ScenarioResult bareFloodMax;
    ScenarioResult bareFloodOpen;
    ScenarioResult flashsalePurchaseMax;
    ScenarioResult flashsalePurchaseOpen;
    ScenarioResult flashsaleFloodMax;
    ScenarioResult flashsaleFloodOpen;
    ScenarioResult redisPurchaseMax;
    ScenarioResult redisPurchaseOpen;
    final List<Check> checks = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    CompareReport(final LoadSettings load, final double rate, final Duration duration)
    {
        this.load = load;
        this.rate = rate;
        this.duration = duration;
    }

    void ceiling(final LoadStats generator, final Wrk.Result wrkResult)
    {
        this.generatorCeiling = generator;
        this.wrk = wrkResult;
    }

    public boolean passed()
    {
        return checks.stream().allMatch(Check::passed);
    }

    /** Purchase throughput, flashsale ÷ Redis (goal ≥ 1.5). */
    public double purchaseThroughputRatio()
    {
        return flashsalePurchaseMax.stats().throughput() / redisPurchaseMax.stats().throughput();
    }

    /** Purchase p99 at the same offered rate, flashsale ÷ Redis (goal < 1). */
    public double purchaseP99Ratio()
    {
        return (double)p99(flashsalePurchaseOpen) / Math.max(1, p99(redisPurchaseOpen));
    }

    /** Sold-out flood throughput, flashsale ÷ bare (goal ≥ 0.9). */
    public double soldOutThroughputRatio()
    {
        return flashsaleFloodMax.stats().throughput() / bareFloodMax.stats().throughput();
    }

    public double generatorOverWrk()
    {
        return generatorCeiling.throughput() / wrk.requestsPerSecond();
    }

    private static long p99(final ScenarioResult result)
    {
        return Percentiles.of(result.stats().allLatencyMicros()).p99();
    }

    private static String rateOf(final ScenarioResult result)
    {
        return String.format("%,.0f/s", result.stats().throughput());
    }

    private static String p99Of(final ScenarioResult result)
    {
        return Percentiles.millis(p99(result)) + " ms";
    }

    public String text(final String machine)
    {
        final StringBuilder out = new StringBuilder();
        out.append(String.format("flashsale bench compare: %d connections, %d generator thread(s) (%s), %s per run, open loop at %,.0f req/s%n",
            load.connections(), load.threads(), LoadGenerator.transport(), duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms", rate));
        out.append("machine: ").append(machine).append('\n');
        out.append('\n');
        final String row = "%-44s %13s %15s %13s   %-30s %s%n";
        out.append(String.format(row, "figure", "flashsale", "redis-baseline", "bare", "ratio", "goal"));
        out.append(String.format(row, "purchase, max throughput (closed loop)", rateOf(flashsalePurchaseMax), rateOf(redisPurchaseMax), "-",
            String.format("flashsale / redis = %.2f", purchaseThroughputRatio()), ">= 1.5 " + verdict(purchaseThroughputRatio() >= 1.5)));
        out.append(String.format(row, String.format("purchase p99 at %,.0f/s (open loop)", rate), p99Of(flashsalePurchaseOpen), p99Of(redisPurchaseOpen), "-",
            String.format("flashsale / redis = %.2f", purchaseP99Ratio()), "< 1 " + verdict(purchaseP99Ratio() < 1)));
        out.append(String.format(row, "sold-out flood, max throughput (closed loop)", rateOf(flashsaleFloodMax), "-", rateOf(bareFloodMax),
            String.format("flashsale / bare = %.2f", soldOutThroughputRatio()), ">= 0.9 " + verdict(soldOutThroughputRatio() >= 0.9)));
        out.append(String.format(row, String.format("sold-out p99 at %,.0f/s (open loop)", rate), p99Of(flashsaleFloodOpen), "-", p99Of(bareFloodOpen),
            String.format("flashsale / bare = %.2f", (double)p99(flashsaleFloodOpen) / Math.max(1, p99(bareFloodOpen))), "-"));
        out.append(String.format(row, "generator ceiling, GET / on bare (closed)", "-", "-",
            String.format("%,.0f/s", generatorCeiling.throughput()),
            String.format("generator / wrk = %.2f", generatorOverWrk()), String.format("wrk -t1: %,.0f/s", wrk.requestsPerSecond())));
        out.append('\n');
        out.append(String.format("achieved rate at the open-loop runs: flashsale purchase %s, redis purchase %s, flashsale sold-out %s, bare %s%n",
            rateOf(flashsalePurchaseOpen), rateOf(redisPurchaseOpen), rateOf(flashsaleFloodOpen), rateOf(bareFloodOpen)));
        for (final String note : notes)
        {
            out.append(note).append('\n');
        }
        final List<Check> failed = checks.stream().filter(c -> !c.passed()).toList();
        out.append(String.format("books and journal: %d checks, %d failed%n", checks.size(), failed.size()));
        for (final Check check : failed)
        {
            out.append("  FAIL ").append(check.name()).append(": ").append(check.detail()).append('\n');
        }
        return out.toString();
    }

    private static String verdict(final boolean met)
    {
        return met ? "(met)" : "(NOT met)";
    }

    public void write(final Path folder, final String machine) throws IOException
    {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("compare.txt"), text(machine), StandardCharsets.UTF_8);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("connections", load.connections());
        json.put("generatorThreads", load.threads());
        json.put("openLoopRate", rate);
        json.put("durationSeconds", duration.toMillis() / 1000.0);
        json.put("flashsalePurchaseMaxPerSecond", flashsalePurchaseMax.stats().throughput());
        json.put("redisPurchaseMaxPerSecond", redisPurchaseMax.stats().throughput());
        json.put("purchaseThroughputRatio", purchaseThroughputRatio());
        json.put("flashsalePurchaseP99Micros", p99(flashsalePurchaseOpen));
        json.put("redisPurchaseP99Micros", p99(redisPurchaseOpen));
        json.put("purchaseP99Ratio", purchaseP99Ratio());
        json.put("flashsaleSoldOutMaxPerSecond", flashsaleFloodMax.stats().throughput());
        json.put("bareSoldOutMaxPerSecond", bareFloodMax.stats().throughput());
        json.put("soldOutThroughputRatio", soldOutThroughputRatio());
        json.put("flashsaleSoldOutP99Micros", p99(flashsaleFloodOpen));
        json.put("bareSoldOutP99Micros", p99(bareFloodOpen));
        json.put("generatorCeilingPerSecond", generatorCeiling.throughput());
        json.put("wrkPerSecond", wrk.requestsPerSecond());
        json.put("generatorOverWrk", generatorOverWrk());
        json.put("checks", checks);
        json.put("notes", notes);
        json.put("passed", passed());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(folder.resolve("compare.json").toFile(), json);
        final Map<String, Histogram> series = new LinkedHashMap<>();
        series.put("flashsale purchase", flashsalePurchaseOpen.stats().allLatencyMicros());
        series.put("redis-baseline purchase", redisPurchaseOpen.stats().allLatencyMicros());
        series.put("flashsale sold-out", flashsaleFloodOpen.stats().allLatencyMicros());
        series.put("bare (sold-out requests)", bareFloodOpen.stats().allLatencyMicros());
        LatencyPlot.write(folder.resolve("latency.html"), "flashsale vs baselines, open loop at " + String.format("%,.0f", rate) + " req/s",
            machine, series);
    }
}
