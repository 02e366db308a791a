package io.flashsale.bench.compare;

import io.flashsale.bench.load.GetWorkload;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.load.Wrk;
import io.flashsale.bench.report.RunReport;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.FloodScenarios;
import io.flashsale.bench.scenario.ScenarioResult;
import io.flashsale.bench.target.JournalCheck;
import io.flashsale.bench.target.Target;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * flashsale, the bare server and the Redis baseline back to back with the same generator settings:
 * each server is started once, warmed up, measured closed loop (its maximum) and open loop at one
 * fixed rate (latency at the same offered load), then stopped. The bare server also gives the
 * generator's own ceiling, against wrk on the same server. Every run is written to its own folder.
 *
 * <p>Main thread.
 */
public final class Comparison
{
    /** Starts one of the servers in a folder. */
    @FunctionalInterface
    public interface TargetStarter
    {
        Target start(Path folder) throws Exception;
    }

    /** The settings every run of the comparison shares. */
    public record Settings(LoadSettings load, double rate, Duration warmup, int purchaseShoppers, int floodShoppers)
    {
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
    private final List<ScenarioResult> all = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Comparison(final Settings settings, final Path folder, final PrintWriter progress)
    {
        this.settings = settings;
        this.folder = folder;
        this.progress = progress;
    }

    public CompareReport run(final TargetStarter bare, final TargetStarter flashsale, final TargetStarter redis) throws Exception
    {
        final CompareReport report = new CompareReport(settings.load(), settings.rate(), settings.load().duration());

        try (Target target = bare.start(folder.resolve("bare")))
        {
            say("bare server up (%s)", target.description());
            warm(target, "sold-out-flood");
            final LoadStats generator = LoadGenerator.run(settings.closed(settings.load().duration()).at(target.host(), target.port()),
                loop -> new GetWorkload("/"));
            final Wrk.Result wrk = Wrk.run("http://" + target.host() + ":" + target.port() + "/", 1, settings.load().connections(),
                settings.load().duration(), folder.resolve("bare").resolve("wrk.txt"));
            report.ceiling(generator, wrk);
            say("generator %,.0f req/s, wrk %,.0f req/s (GET /, closed loop, %d connections)",
                generator.throughput(), wrk.requestsPerSecond(), settings.load().connections());
            report.bareFloodMax = measure(target, "sold-out-flood", settings.closed(settings.load().duration()), "closed");
            report.bareFloodOpen = measure(target, "sold-out-flood", settings.open(), "open");
        }

        final Path journal;
        try (Target target = flashsale.start(folder.resolve("flashsale")))
        {
            journal = target.journalDirectory();
            say("flashsale up (%s)", target.description());
            warm(target, "purchase-throughput");
            report.flashsalePurchaseMax = measure(target, "purchase-throughput", settings.closed(settings.load().duration()), "closed");
            report.flashsalePurchaseOpen = measure(target, "purchase-throughput", settings.open(), "open");
            warm(target, "sold-out-flood");
            report.flashsaleFloodMax = measure(target, "sold-out-flood", settings.closed(settings.load().duration()), "closed");
            report.flashsaleFloodOpen = measure(target, "sold-out-flood", settings.open(), "open");
        }
        final JournalCheck.Verdict verdict = JournalCheck.verify(journal, folder.resolve("flashsale").resolve("journal-verify.log"));
        if (verdict.check() != null)
        {
            report.checks.add(verdict.check());
        }
        else
        {
            notes.add("flashsale journal: " + verdict.notRun());
        }

        try (Target target = redis.start(folder.resolve("redis")))
        {
            say("redis baseline up (%s)", target.description());
            warm(target, "purchase-throughput");
            report.redisPurchaseMax = measure(target, "purchase-throughput", settings.closed(settings.load().duration()), "closed");
            report.redisPurchaseOpen = measure(target, "purchase-throughput", settings.open(), "open");
        }

        for (final ScenarioResult result : all)
        {
            for (final Check check : result.checks())
            {
                report.checks.add(new Check(result.target() + " " + result.scenario() + ": " + check.name(), check.passed(), check.detail()));
            }
            if (result.stats().abortReason() != null)
            {
                report.checks.add(Check.of(result.target() + " " + result.scenario() + " ran to the end", false, result.stats().abortReason()));
            }
        }
        report.notes.addAll(notes);
        return report;
    }

    private void warm(final Target target, final String scenario) throws Exception
    {
        if (settings.warmup().isZero())
        {
            return;
        }
        run(target, scenario, settings.closed(settings.warmup()), "warmup");
    }

    private ScenarioResult measure(final Target target, final String scenario, final LoadSettings load, final String label) throws Exception
    {
        final ScenarioResult result = run(target, scenario, load, label);
        say("%-14s %-19s %-6s %,9.0f answers/s, p99 %s ms, %,d errors", target.name(), scenario, label,
            result.stats().throughput(), io.flashsale.bench.report.Percentiles.millis(
                io.flashsale.bench.report.Percentiles.of(result.stats().allLatencyMicros()).p99()), result.stats().errors());
        return result;
    }

    private ScenarioResult run(final Target target, final String scenario, final LoadSettings load, final String label) throws Exception
    {
        final String tag = folder.getFileName() + "-" + label;
        final ScenarioResult result = scenario.equals("purchase-throughput")
            ? FloodScenarios.purchaseThroughput(target, load, settings.purchaseShoppers(), 1_000_000_000L, tag)
            : FloodScenarios.soldOutFlood(target, load, settings.floodShoppers(), tag);
        RunReport.write(result, folder.resolve(target.name()).resolve(scenario + "-" + label));
        all.add(result);
        return result;
    }

    private void say(final String format, final Object... args)
    {
        progress.printf("compare: " + format + "%n", args);
        progress.flush();
    }
}
