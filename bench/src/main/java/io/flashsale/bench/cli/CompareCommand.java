package io.flashsale.bench.cli;

import io.flashsale.bench.baseline.RedisBaselineTarget;
import io.flashsale.bench.compare.CompareReport;
import io.flashsale.bench.compare.Comparison;
import io.flashsale.bench.load.LoadSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code flashsale bench compare}: what scripts/bench-compare runs. */
@Command(name = "compare", mixinStandardHelpOptions = true, description = "flashsale, the bare Undertow server and the Redis + Lua baseline back to back with the same generator settings: all three started, warmed up, then measured in --rounds rounds that visit each in turn, closed loop (maximum) and open loop at --rate (default 5000/s); each figure is the median of its rounds, each ratio the median of the ratios within a round. Prints one table with the ratios (flashsale / bare, flashsale / Redis) and the generator's ceiling against wrk. Needs redis-server and wrk (scripts/bench-compare installs them). With --edges N the edge deployment (nginx in front of N edge processes and their core) is measured too, beside flashsale. Exit 1 if a books or journal check fails.")
final class CompareCommand implements Callable<Integer>
{
    @Mixin
    LoadOptions load;

    @Mixin
    TargetOptions targets;

    @Option(names = "--warmup", defaultValue = "3s", converter = DurationConverter.class,
        description = "a closed-loop run before each measured scenario, not counted (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--rounds", defaultValue = "5", description = "measurement rounds, each visiting every server; figures are medians, ratios medians of the rounds' ratios (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--purchase-shoppers", defaultValue = "10000", description = "shoppers of purchase-throughput (default ${DEFAULT-VALUE})")
    int purchaseShoppers;

    @Option(names = "--flood-shoppers", defaultValue = "10000", description = "shoppers of sold-out-flood (default ${DEFAULT-VALUE})")
    int floodShoppers;

    @Option(names = "--edges", defaultValue = "0", description = "also measure the edge deployment: nginx in front of N edge processes and their core (default ${DEFAULT-VALUE}: left out)")
    int edges;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final LoadSettings settings = load.settings(5_000);
        final Path folder = ScenarioRun.folder(targets.results, "compare", "all");
        final Comparison comparison = new Comparison(
            new Comparison.Settings(settings, settings.ratePerSecond(), warmup, rounds, purchaseShoppers, floodShoppers), folder, out);
        final CompareReport report = comparison.run(
            f -> targets.open(TargetOptions.Kind.bare, f),
            f -> targets.open(TargetOptions.Kind.flashsale, f),
            f -> RedisBaselineTarget.start(f, targets.ioThreads, targets.jvmOptions()),
            edges > 0 ? f -> targets.openEdges(edges, f) : null);
        final String machine = Machine.describe();
        report.write(folder, machine);
        out.println();
        out.print(report.text(machine));
        out.printf("%nresults: %s (compare.txt, compare.json, latency.html, one folder per run)%n", folder);
        out.flush();
        if (!report.passed())
        {
            spec.commandLine().getErr().println("flashsale bench compare: FAIL: a books or journal check failed (see above)");
            return 1;
        }
        return 0;
    }
}
