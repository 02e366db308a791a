package io.flashsale.bench.compare;

import io.flashsale.bench.load.GetWorkload;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.load.Wrk;
import io.flashsale.bench.report.Percentiles;
import io.flashsale.bench.report.RunReport;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.FloodScenarios;
import io.flashsale.bench.scenario.ScenarioResult;
import io.flashsale.bench.system.JournalCheck;
import io.flashsale.bench.system.Target;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * flashsale, the bare server and the Redis baseline with the same generator settings. All three
 * servers are started first (an idle server costs next to nothing), each is warmed up, and then
 * the measurements run in rounds, every round visiting every server in turn: on a shared machine
 * whose load drifts, interleaving puts the drift on all three alike, and each figure is the median
 * of its rounds. Per round: the generator's ceiling and wrk on the bare server; the sold-out flood
 * on bare and flashsale; the purchase flood on flashsale and Redis; each closed loop (maximum) and
 * open loop at one fixed rate (latency at the same offered load). Every run is written to its own
 * folder; the servers are stopped at the end and flashsale's journal verified.
 *
 * <p>Main thread.
 */
public final class Comparison
{
    static final String PURCHASE = "purchase-throughput";
    static final String FLOOD = "sold-out-flood";
    private static final long PURCHASE_STOCK = 1_000_000_000L;

    /** Starts one of the servers in a folder. */
    @FunctionalInterface
    public interface TargetStarter
    {
        Target start(Path folder) throws Exception;
    }

    /** The settings every run of the comparison shares. */
    public record Settings(LoadSettings load, double rate, Duration warmup, int rounds, int purchaseShoppers, int floodShoppers)
    {
        public Settings
        {
            if (rounds < 1 || rounds > 20)
            {
                throw new IllegalArgumentException("rounds must be between 1 and 20, was " + rounds);
            }
        }

        LoadSettings closed(final Duration duration)
        {
            return new LoadSettings(load.host(), load.port(), load.connections(), load.threads(), Pacing.CLOSED, 0,
                load.maxArrivals(), duration, load.grace(), load.timeout());
        }

        LoadSettings open()
        {
            return load.paced(Pacing.RATE, rate, load.maxArrivals());
        }
    }

    private final Settings settings;
    private final Path folder;
    private final PrintWriter progress;

    public Comparison(final Settings settings, final Path folder, final PrintWriter progress)
    {
        this.settings = settings;
        this.folder = folder;
        this.progress = progress;
    }

    public CompareReport run(final TargetStarter bareStarter, final TargetStarter flashsaleStarter, final TargetStarter redisStarter)
        throws Exception
    {
        return run(bareStarter, flashsaleStarter, redisStarter, null);
    }

    /** @param edgesStarter the edge deployment, measured beside the others like flashsale; null to leave it out */
    public CompareReport run(final TargetStarter bareStarter, final TargetStarter flashsaleStarter, final TargetStarter redisStarter,
        final TargetStarter edgesStarter) throws Exception
    {
        final CompareReport report = new CompareReport(settings);
        final Path journal;
        Path edgesJournal = null;
        try (Target bare = bareStarter.start(folder.resolve("bare"));
             Target flashsale = flashsaleStarter.start(folder.resolve("flashsale"));
             Target redis = redisStarter.start(folder.resolve("redis"));
             Target edges = edgesStarter == null ? null : edgesStarter.start(folder.resolve("edges")))
        {
            journal = flashsale.journalDirectory();
            say("bare: %s", bare.description());
            say("flashsale: %s", flashsale.description());
            say("redis baseline: %s", redis.description());
            warm(bare, FLOOD);
            warm(flashsale, PURCHASE);
            warm(flashsale, FLOOD);
            warm(redis, PURCHASE);
            if (edges != null)
            {
                edgesJournal = edges.journalDirectory();
                say("edges: %s", edges.description());
                warm(edges, PURCHASE);
                warm(edges, FLOOD);
            }
            final LoadSettings closed = settings.closed(settings.load().duration());
            for (int round = 1; round <= settings.rounds(); round++)
            {
                say("round %d of %d", round, settings.rounds());
                final LoadStats generator = LoadGenerator.run(closed.at(bare.host(), bare.port()), loop -> new GetWorkload("/"));
                final Wrk.Result wrk = Wrk.run("http://" + bare.host() + ":" + bare.port() + "/", 1, settings.load().connections(),
                    settings.load().duration(), folder.resolve("bare").resolve("wrk-round" + round + ".txt"));
                report.ceiling(generator, wrk);
                say("  ceiling: generator %,.0f req/s, wrk %,.0f req/s (GET / on bare, closed loop)", generator.throughput(), wrk.requestsPerSecond());
                report.add(CompareReport.Figure.BARE_FLOOD_MAX, measure(bare, FLOOD, closed, "closed", round, report));
                report.add(CompareReport.Figure.FLASHSALE_FLOOD_MAX, measure(flashsale, FLOOD, closed, "closed", round, report));
                report.add(CompareReport.Figure.FLASHSALE_PURCHASE_MAX, measure(flashsale, PURCHASE, closed, "closed", round, report));
                report.add(CompareReport.Figure.REDIS_PURCHASE_MAX, measure(redis, PURCHASE, closed, "closed", round, report));
                report.add(CompareReport.Figure.BARE_FLOOD_OPEN, measure(bare, FLOOD, settings.open(), "open", round, report));
                report.add(CompareReport.Figure.FLASHSALE_FLOOD_OPEN, measure(flashsale, FLOOD, settings.open(), "open", round, report));
                report.add(CompareReport.Figure.FLASHSALE_PURCHASE_OPEN, measure(flashsale, PURCHASE, settings.open(), "open", round, report));
                report.add(CompareReport.Figure.REDIS_PURCHASE_OPEN, measure(redis, PURCHASE, settings.open(), "open", round, report));
                if (edges != null)
                {
                    report.add(CompareReport.Figure.EDGES_FLOOD_MAX, measure(edges, FLOOD, closed, "closed", round, report));
                    report.add(CompareReport.Figure.EDGES_PURCHASE_MAX, measure(edges, PURCHASE, closed, "closed", round, report));
                    report.add(CompareReport.Figure.EDGES_FLOOD_OPEN, measure(edges, FLOOD, settings.open(), "open", round, report));
                    report.add(CompareReport.Figure.EDGES_PURCHASE_OPEN, measure(edges, PURCHASE, settings.open(), "open", round, report));
                }
            }
        }
        verify(report, "flashsale", journal);
        if (edgesJournal != null)
        {
            verify(report, "edges", edgesJournal);
        }
        return report;
    }

    private void verify(final CompareReport report, final String name, final Path journal) throws Exception
    {
        final JournalCheck.Verdict verdict = JournalCheck.verify(journal, folder.resolve(name).resolve("journal-verify.log"));
        if (verdict.check() != null)
        {
            report.check(verdict.check());
        }
        else
        {
            report.note(name + " journal: " + verdict.notRun());
        }
    }

    private void warm(final Target target, final String scenario) throws Exception
    {
        if (!settings.warmup().isZero())
        {
            run(target, scenario, settings.closed(settings.warmup()), "warmup");
        }
    }

    private ScenarioResult measure(final Target target, final String scenario, final LoadSettings load, final String pacing,
        final int round, final CompareReport report) throws Exception
    {
        final ScenarioResult result = run(target, scenario, load, pacing + "-round" + round);
        for (final Check check : result.checks())
        {
            report.check(new Check(target.name() + " " + scenario + " " + pacing + " round " + round + ": " + check.name(),
                check.verdict(), check.detail()));
        }
        if (result.stats().abortReason() != null)
        {
            report.check(Check.of(target.name() + " " + scenario + " ran to the end", false, result.stats().abortReason()));
        }
        say("  %-14s %-19s %-6s %,9.0f answers/s, p99 %s ms, %,d errors", target.name(), scenario, pacing,
            result.stats().throughput(), Percentiles.millis(Percentiles.of(result.stats().allLatencyMicros()).p99()), result.stats().errors());
        return result;
    }

    private ScenarioResult run(final Target target, final String scenario, final LoadSettings load, final String label) throws Exception
    {
        final String tag = folder.getFileName() + "-" + scenario + "-" + label;
        final ScenarioResult result = scenario.equals(PURCHASE)
            ? FloodScenarios.purchaseThroughput(target, load, settings.purchaseShoppers(), PURCHASE_STOCK, tag)
            : FloodScenarios.soldOutFlood(target, load, settings.floodShoppers(), tag);
        RunReport.write(result, folder.resolve(target.name()).resolve(scenario + "-" + label));
        return result;
    }

    private void say(final String format, final Object... args)
    {
        progress.printf("compare: " + format + "%n", args);
        progress.flush();
    }
}
