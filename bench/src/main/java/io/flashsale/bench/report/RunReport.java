package io.flashsale.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.StepStats;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.ScenarioResult;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a scenario result into what people read: a text summary (throughput, percentiles per
 * step, outcome counts, the generator's own lag, the checks), and the files of the results
 * folder: {@code summary.txt}, {@code summary.json}, one HdrHistogram {@code .hgrm} percentile
 * file per step plus {@code all.hgrm} (milliseconds), and {@code latency.html} (the plot).
 *
 * <p>Stateless; main thread.
 */
public final class RunReport
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunReport()
    {
    }

    public static String text(final ScenarioResult result)
    {
        final LoadStats stats = result.stats();
        final StringBuilder out = new StringBuilder();
        out.append(result.scenario()).append(" against ").append(result.target()).append(" (").append(result.targetDescription()).append(")\n");
        line(out, "load", result.settings().describe() + ", " + LoadGenerator.transport() + " transport");
        result.facts().forEach((name, value) -> line(out, name, value));
        line(out, "throughput", String.format("%,.0f answers/s (%,d answers in %.3f s; %,d errors; %,d never sent)",
            stats.throughput(), stats.completed(), stats.elapsedNanos() / 1e9, stats.errors(), stats.unsent()));
        if (stats.abortReason() != null)
        {
            line(out, "STOPPED EARLY", stats.abortReason());
        }
        out.append('\n').append(String.format("  %-10s %10s %9s %9s %9s %9s %9s %9s%n",
            "latency", "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "p99.99", "max ms"));
        for (final StepStats step : stats.steps().values())
        {
            row(out, step.step(), Percentiles.of(step.latencyMicros()));
        }
        if (stats.steps().size() > 1)
        {
            row(out, "all", Percentiles.of(stats.allLatencyMicros()));
        }
        out.append("  (from each request's intended send time: queueing, stalls and retries' pauses are not hidden)\n\n");
        out.append("  outcomes\n");
        for (final StepStats step : stats.steps().values())
        {
            out.append(String.format("    %-10s %s%n", step.step(), step.outcomes().entrySet().stream()
                .map(e -> String.format("%s: %,d", e.getKey(), e.getValue())).collect(Collectors.joining(", "))));
        }
        final Percentiles lag = Percentiles.of(stats.sendLagMicros());
        out.append(String.format("  sent behind schedule: p50 %s ms, p99 %s ms, max %s ms (waiting for a free connection included)%n",
            Percentiles.millis(lag.p50()), Percentiles.millis(lag.p99()), Percentiles.millis(lag.max())));
        if (!result.checks().isEmpty())
        {
            out.append("\n  checks\n");
            for (final Check check : result.checks())
            {
                out.append(String.format("    %s  %s: %s%n", check.label(), check.name(), check.detail()));
            }
        }
        return out.toString();
    }

    private static void line(final StringBuilder out, final String name, final String value)
    {
        out.append(String.format("  %-22s %s%n", name, value));
    }

    private static void row(final StringBuilder out, final String name, final Percentiles p)
    {
        out.append(String.format("  %-10s %,10d %9s %9s %9s %9s %9s %9s%n", name, p.count(),
            Percentiles.millis(p.p50()), Percentiles.millis(p.p90()), Percentiles.millis(p.p99()),
            Percentiles.millis(p.p999()), Percentiles.millis(p.p9999()), Percentiles.millis(p.max())));
    }

    /** Writes the results folder's files; returns the folder. */
    public static Path write(final ScenarioResult result, final Path folder) throws IOException
    {
        Files.createDirectories(folder);
        final LoadStats stats = result.stats();
        final Map<String, Histogram> series = new LinkedHashMap<>();
        for (final StepStats step : stats.steps().values())
        {
            series.put(step.step(), step.latencyMicros());
            hgrm(folder.resolve(step.step() + ".hgrm"), step.latencyMicros());
        }
        final Histogram all = stats.allLatencyMicros();
        hgrm(folder.resolve("all.hgrm"), all);
        if (series.size() > 1)
        {
            series.put("all", all);
        }
        LatencyPlot.write(folder.resolve("latency.html"), result.scenario() + " against " + result.target(),
            result.settings().describe() + String.format("; %,.0f answers/s", stats.throughput()), series);
        Files.writeString(folder.resolve("summary.txt"), text(result), StandardCharsets.UTF_8);
        JSON.writeValue(folder.resolve("summary.json").toFile(), json(result));
        return folder;
    }

    /** The percentile distribution in HdrHistogram's .hgrm text format, values in milliseconds. */
    public static void hgrm(final Path file, final Histogram micros) throws IOException
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8))
        {
            micros.outputPercentileDistribution(out, 5, 1000.0);
        }
    }

    public static Map<String, Object> json(final ScenarioResult result)
    {
        final LoadStats stats = result.stats();
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", result.scenario());
        json.put("target", result.target());
        json.put("targetDescription", result.targetDescription());
        json.put("load", result.settings().describe());
        json.put("pacing", result.settings().pacing().name());
        json.put("offeredRatePerSecond", result.settings().ratePerSecond());
        json.put("connections", result.settings().connections());
        json.put("throughputPerSecond", stats.throughput());
        json.put("answers", stats.completed());
        json.put("errors", stats.errors());
        json.put("unsent", stats.unsent());
        json.put("elapsedSeconds", stats.elapsedNanos() / 1e9);
        json.put("abortReason", stats.abortReason());
        final Map<String, Object> steps = new LinkedHashMap<>();
        for (final StepStats step : stats.steps().values())
        {
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("latencyMicros", Percentiles.of(step.latencyMicros()));
            s.put("outcomes", step.outcomes());
            steps.put(step.step(), s);
        }
        json.put("steps", steps);
        json.put("allLatencyMicros", Percentiles.of(stats.allLatencyMicros()));
        json.put("sendLagMicros", Percentiles.of(stats.sendLagMicros()));
        json.put("facts", result.facts());
        json.put("checks", result.checks());
        json.put("passed", result.passed());
        return json;
    }

    /** One row per step of several results, for tables that compare. */
    public static List<String> stepNames(final ScenarioResult result)
    {
        return List.copyOf(result.stats().steps().keySet());
    }
}
