package io.flashsale.bench.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flashsale.bench.load.LoadGenerator;
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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison's one table: each system's throughput (closed loop) and p99 (open loop at the
 * fixed rate), each the median of its rounds, and the ratios the README's goals are stated in:
 * flashsale ÷ Redis for the purchase path, flashsale ÷ bare for the sold-out path, generator ÷
 * wrk for the tool itself. A ratio is paired: taken within each round, whose runs follow each other
 * within a minute, then the median of the rounds' ratios, so a slow stretch of a shared machine
 * weighs on both sides of a ratio rather than on whichever system it happened to hit. Written as compare.txt, compare.json and one plot of the open-loop
 * latencies side by side.
 *
 * <p>Filled by {@link Comparison} on the main thread.
 */
public final class CompareReport
{
    /** Each measured figure: one system, one scenario, one pacing. */
    enum Figure
    {
        BARE_FLOOD_MAX,
        BARE_FLOOD_OPEN,
        FLASHSALE_FLOOD_MAX,
        FLASHSALE_FLOOD_OPEN,
        FLASHSALE_PURCHASE_MAX,
        FLASHSALE_PURCHASE_OPEN,
        REDIS_PURCHASE_MAX,
        REDIS_PURCHASE_OPEN,
        /** The edge deployment (nginx, N edges, the core), with {@code --edges N} only. */
        EDGES_FLOOD_MAX,
        EDGES_FLOOD_OPEN,
        EDGES_PURCHASE_MAX,
        EDGES_PURCHASE_OPEN
    }

    private final Comparison.Settings settings;
    private final Map<Figure, List<ScenarioResult>> results = new EnumMap<>(Figure.class);
    private final List<Double> generator = new ArrayList<>();
    private final List<Double> wrk = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    CompareReport(final Comparison.Settings settings)
    {
        this.settings = settings;
    }

    void add(final Figure figure, final ScenarioResult result)
    {
        results.computeIfAbsent(figure, f -> new ArrayList<>()).add(result);
    }

    void ceiling(final LoadStats generatorRun, final Wrk.Result wrkRun)
    {
        generator.add(generatorRun.throughput());
        wrk.add(wrkRun.requestsPerSecond());
    }

    void check(final Check check)
    {
        checks.add(check);
    }

    void note(final String note)
    {
        notes.add(note);
    }

    public boolean passed()
    {
        return checks.stream().allMatch(Check::passed);
    }

    /** Whether the figure was measured (the edge deployment's only with {@code --edges}). */
    boolean has(final Figure figure)
    {
        return results.containsKey(figure);
    }

    /** Median answers per second of a figure's rounds. */
    double throughput(final Figure figure)
    {
        return median(results.get(figure).stream().map(r -> r.stats().throughput()).toList());
    }

    /** Median p99 (µs) of a figure's rounds. */
    double p99(final Figure figure)
    {
        return median(results.get(figure).stream().map(r -> (double)Percentiles.of(r.stats().allLatencyMicros()).p99()).toList());
    }

    private List<Double> throughputs(final Figure figure)
    {
        return results.get(figure).stream().map(r -> r.stats().throughput()).toList();
    }

    private List<Long> p99s(final Figure figure)
    {
        return results.get(figure).stream().map(r -> Percentiles.of(r.stats().allLatencyMicros()).p99()).toList();
    }

    static double median(final List<Double> values)
    {
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0)
        {
            return Double.NaN;
        }
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public double purchaseThroughputRatio()
    {
        return median(ratiosByRound(throughputs(Figure.FLASHSALE_PURCHASE_MAX), throughputs(Figure.REDIS_PURCHASE_MAX)));
    }

    public double purchaseP99Ratio()
    {
        return median(ratiosByRound(p99Values(Figure.FLASHSALE_PURCHASE_OPEN), p99Values(Figure.REDIS_PURCHASE_OPEN)));
    }

    public double soldOutThroughputRatio()
    {
        return median(ratiosByRound(throughputs(Figure.FLASHSALE_FLOOD_MAX), throughputs(Figure.BARE_FLOOD_MAX)));
    }

    public double soldOutP99Ratio()
    {
        return median(ratiosByRound(p99Values(Figure.FLASHSALE_FLOOD_OPEN), p99Values(Figure.BARE_FLOOD_OPEN)));
    }

    /** Edge deployment ÷ the single process, purchase path, closed loop. */
    public double edgesPurchaseThroughputRatio()
    {
        return median(ratiosByRound(throughputs(Figure.EDGES_PURCHASE_MAX), throughputs(Figure.FLASHSALE_PURCHASE_MAX)));
    }

    public double edgesPurchaseP99Ratio()
    {
        return median(ratiosByRound(p99Values(Figure.EDGES_PURCHASE_OPEN), p99Values(Figure.FLASHSALE_PURCHASE_OPEN)));
    }

    /** Edge deployment ÷ bare, sold-out path, closed loop. */
    public double edgesSoldOutThroughputRatio()
    {
        return median(ratiosByRound(throughputs(Figure.EDGES_FLOOD_MAX), throughputs(Figure.BARE_FLOOD_MAX)));
    }

    public double generatorOverWrk()
    {
        return median(ratiosByRound(generator, wrk));
    }

    /** Round i's {@code numerator / denominator}; the denominator at least 1 (a p99 of 0 µs). */
    static List<Double> ratiosByRound(final List<Double> numerators, final List<Double> denominators)
    {
        final List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(numerators.size(), denominators.size()); i++)
        {
            ratios.add(numerators.get(i) / Math.max(1, denominators.get(i)));
        }
        return ratios;
    }

    private List<Double> p99Values(final Figure figure)
    {
        return p99s(figure).stream().map(Long::doubleValue).toList();
    }

    private String rate(final Figure figure)
    {
        return String.format("%,.0f/s", throughput(figure));
    }

    private String p99Text(final Figure figure)
    {
        return Percentiles.millis(Math.round(p99(figure))) + " ms";
    }

    public String text(final String machine)
    {
        final var load = settings.load();
        final StringBuilder out = new StringBuilder();
        out.append(String.format("flashsale bench compare: %d connections, %d generator thread(s) (%s), %s s per run, %d round(s) "
                + "(medians; ratios paired by round), open loop at %,.0f req/s%n",
            load.connections(), load.threads(), LoadGenerator.transport(), trim(load.duration().toMillis() / 1000.0), settings.rounds(), settings.rate()));
        out.append("machine: ").append(machine).append("\n\n");
        final String row = "%-44s %13s %15s %13s   %-28s %s%n";
        out.append(String.format(row, "figure", "flashsale", "redis-baseline", "bare", "ratio", "goal"));
        out.append(String.format(row, "purchase, max throughput (closed loop)", rate(Figure.FLASHSALE_PURCHASE_MAX), rate(Figure.REDIS_PURCHASE_MAX), "-",
            String.format("flashsale / redis = %.2f", purchaseThroughputRatio()), ">= 1.5 " + verdict(purchaseThroughputRatio() >= 1.5)));
        out.append(String.format(row, String.format("purchase p99 at %,.0f/s (open loop)", settings.rate()),
            p99Text(Figure.FLASHSALE_PURCHASE_OPEN), p99Text(Figure.REDIS_PURCHASE_OPEN), "-",
            String.format("flashsale / redis = %.2f", purchaseP99Ratio()), "< 1 " + verdict(purchaseP99Ratio() < 1)));
        out.append(String.format(row, "sold-out flood, max throughput (closed loop)", rate(Figure.FLASHSALE_FLOOD_MAX), "-", rate(Figure.BARE_FLOOD_MAX),
            String.format("flashsale / bare = %.2f", soldOutThroughputRatio()), ">= 0.9 " + verdict(soldOutThroughputRatio() >= 0.9)));
        out.append(String.format(row, String.format("sold-out p99 at %,.0f/s (open loop)", settings.rate()),
            p99Text(Figure.FLASHSALE_FLOOD_OPEN), "-", p99Text(Figure.BARE_FLOOD_OPEN),
            String.format("flashsale / bare = %.2f", soldOutP99Ratio()), "-"));
        if (has(Figure.EDGES_PURCHASE_MAX))
        {
            final String edgeRow = "%-44s %13s %15s %13s   %-28s %s%n";
            out.append(String.format(edgeRow, "edges (nginx -> edges -> core)", "edges", "flashsale", "bare", "ratio", ""));
            out.append(String.format(edgeRow, "purchase, max throughput (closed loop)", rate(Figure.EDGES_PURCHASE_MAX), rate(Figure.FLASHSALE_PURCHASE_MAX), "-",
                String.format("edges / flashsale = %.2f", edgesPurchaseThroughputRatio()), ""));
            out.append(String.format(edgeRow, String.format("purchase p99 at %,.0f/s (open loop)", settings.rate()),
                p99Text(Figure.EDGES_PURCHASE_OPEN), p99Text(Figure.FLASHSALE_PURCHASE_OPEN), "-",
                String.format("edges / flashsale = %.2f", edgesPurchaseP99Ratio()), ""));
            out.append(String.format(edgeRow, "sold-out flood, max throughput (closed loop)", rate(Figure.EDGES_FLOOD_MAX), rate(Figure.FLASHSALE_FLOOD_MAX),
                rate(Figure.BARE_FLOOD_MAX), String.format("edges / bare = %.2f", edgesSoldOutThroughputRatio()), ""));
            out.append(String.format(edgeRow, String.format("sold-out p99 at %,.0f/s (open loop)", settings.rate()),
                p99Text(Figure.EDGES_FLOOD_OPEN), p99Text(Figure.FLASHSALE_FLOOD_OPEN), p99Text(Figure.BARE_FLOOD_OPEN), "-", ""));
        }
        out.append(String.format(row, "generator ceiling, GET / on bare (closed)", "-", "-", String.format("%,.0f/s", median(generator)),
            String.format("generator / wrk = %.2f", generatorOverWrk()), String.format("(wrk -t1: %,.0f/s)", median(wrk))));
        out.append('\n');
        out.append(String.format("rounds, answers/s: flashsale purchase %s, redis purchase %s, flashsale sold-out %s, bare sold-out %s%n",
            spread(throughputs(Figure.FLASHSALE_PURCHASE_MAX)), spread(throughputs(Figure.REDIS_PURCHASE_MAX)),
            spread(throughputs(Figure.FLASHSALE_FLOOD_MAX)), spread(throughputs(Figure.BARE_FLOOD_MAX))));
        out.append(String.format("rounds, ratios: purchase throughput %s, purchase p99 %s, sold-out throughput %s, sold-out p99 %s%n",
            ratios(throughputs(Figure.FLASHSALE_PURCHASE_MAX), throughputs(Figure.REDIS_PURCHASE_MAX)),
            ratios(p99Values(Figure.FLASHSALE_PURCHASE_OPEN), p99Values(Figure.REDIS_PURCHASE_OPEN)),
            ratios(throughputs(Figure.FLASHSALE_FLOOD_MAX), throughputs(Figure.BARE_FLOOD_MAX)),
            ratios(p99Values(Figure.FLASHSALE_FLOOD_OPEN), p99Values(Figure.BARE_FLOOD_OPEN))));
        out.append(String.format("open loop achieved: flashsale purchase %s, redis purchase %s, flashsale sold-out %s, bare %s%n",
            rate(Figure.FLASHSALE_PURCHASE_OPEN), rate(Figure.REDIS_PURCHASE_OPEN), rate(Figure.FLASHSALE_FLOOD_OPEN), rate(Figure.BARE_FLOOD_OPEN)));
        for (final String note : notes)
        {
            out.append(note).append('\n');
        }
        final List<Check> notPassed = checks.stream().filter(c -> !c.passed()).toList();
        out.append(String.format("books and journal: %d checks, %d failed%n", checks.size(),
            notPassed.stream().filter(c -> c.verdict() == Check.Verdict.FAIL).count()));
        for (final Check check : notPassed)
        {
            out.append("  ").append(check.label()).append(' ').append(check.name()).append(": ").append(check.detail()).append('\n');
        }
        return out.toString();
    }

    private static String spread(final List<Double> values)
    {
        return values.stream().map(v -> String.format("%,.0f", v)).toList().toString();
    }

    private static String ratios(final List<Double> numerators, final List<Double> denominators)
    {
        return ratiosByRound(numerators, denominators).stream().map(v -> String.format("%.2f", v)).toList().toString();
    }

    private static String trim(final double seconds)
    {
        return seconds == Math.rint(seconds) ? Long.toString((long)seconds) : Double.toString(seconds);
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
        json.put("connections", settings.load().connections());
        json.put("generatorThreads", settings.load().threads());
        json.put("secondsPerRun", settings.load().duration().toMillis() / 1000.0);
        json.put("rounds", settings.rounds());
        json.put("openLoopRate", settings.rate());
        for (final Figure figure : Figure.values())
        {
            if (!has(figure))
            {
                continue;
            }
            final Map<String, Object> f = new LinkedHashMap<>();
            f.put("medianPerSecond", throughput(figure));
            f.put("medianP99Micros", p99(figure));
            f.put("perSecondByRound", throughputs(figure));
            f.put("p99MicrosByRound", p99s(figure));
            json.put(figure.name(), f);
        }
        json.put("purchaseThroughputRatio", purchaseThroughputRatio());
        json.put("purchaseP99Ratio", purchaseP99Ratio());
        json.put("soldOutThroughputRatio", soldOutThroughputRatio());
        json.put("soldOutP99Ratio", soldOutP99Ratio());
        if (has(Figure.EDGES_PURCHASE_MAX))
        {
            json.put("edgesPurchaseThroughputRatio", edgesPurchaseThroughputRatio());
            json.put("edgesPurchaseP99Ratio", edgesPurchaseP99Ratio());
            json.put("edgesSoldOutThroughputRatio", edgesSoldOutThroughputRatio());
        }
        json.put("generatorPerSecondByRound", generator);
        json.put("wrkPerSecondByRound", wrk);
        json.put("generatorOverWrk", generatorOverWrk());
        json.put("checks", checks);
        json.put("notes", notes);
        json.put("passed", passed());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(folder.resolve("compare.json").toFile(), json);
        final Map<String, Histogram> series = new LinkedHashMap<>();
        series.put("flashsale purchase", merged(Figure.FLASHSALE_PURCHASE_OPEN));
        series.put("redis-baseline purchase", merged(Figure.REDIS_PURCHASE_OPEN));
        series.put("flashsale sold-out", merged(Figure.FLASHSALE_FLOOD_OPEN));
        series.put("bare (same requests)", merged(Figure.BARE_FLOOD_OPEN));
        if (has(Figure.EDGES_PURCHASE_OPEN))
        {
            series.put("edges purchase", merged(Figure.EDGES_PURCHASE_OPEN));
            series.put("edges sold-out", merged(Figure.EDGES_FLOOD_OPEN));
        }
        LatencyPlot.write(folder.resolve("latency.html"),
            String.format("flashsale vs baselines, open loop at %,.0f req/s (all rounds)", settings.rate()), machine, series);
    }

    private Histogram merged(final Figure figure)
    {
        final Histogram all = new Histogram(3_600_000_000L, 3);
        results.get(figure).forEach(r -> all.add(r.stats().allLatencyMicros()));
        return all;
    }
}
