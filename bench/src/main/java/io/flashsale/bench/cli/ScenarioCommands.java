package io.flashsale.bench.cli;

import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.FloodScenarios;
import io.flashsale.bench.scenario.Rush;
import io.flashsale.bench.scenario.RushOptions;
import io.flashsale.bench.scenario.ScenarioResult;
import io.flashsale.bench.system.Target;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** The scenario subcommands of {@code flashsale bench}; each is one bounded run with a report. */
final class ScenarioCommands
{
    private ScenarioCommands()
    {
    }

    /** 0 when every check passed; else 1, with each failure on stderr so no script misses it. */
    private static int exitCode(final ScenarioResult result, final CommandLine.Model.CommandSpec spec)
    {
        if (result.passed())
        {
            return 0;
        }
        final PrintWriter err = spec.commandLine().getErr();
        err.printf("flashsale bench %s: FAIL against %s%n", result.scenario(), result.target());
        if (result.stats().abortReason() != null)
        {
            err.printf("  stopped early: %s%n", result.stats().abortReason());
        }
        result.checks().stream().filter(c -> !c.passed()).forEach(c -> err.printf("  %s: %s%n", c.name(), c.detail()));
        err.flush();
        return 1;
    }

    @Command(name = "rush", mixinStandardHelpOptions = true, description = "The flash sale: N shoppers, each on its own connection up to 1,000 unless --connections says otherwise (tokens minted from the server's secret) and a stock of S units; at the start instant everybody fetches a purchase key and purchases (retrying on 503 after Retry-After with jitter), then pays, cancels or walks away (the payment window expires the order). Reports time to sell out, outcomes, shoppers served and each step's latency from the start instant, then checks the server's books against every answer and verifies its journal. Exit 1 if a check fails.")
    static final class RushCommand implements Callable<Integer>
    {
        @Mixin
        LoadOptions load;

        @Mixin
        TargetOptions targets;

        @Option(names = "--shoppers", defaultValue = "2000", description = "the crowd (default ${DEFAULT-VALUE})")
        int shoppers;

        @Option(names = "--stock", defaultValue = "100", description = "units on sale, one per shopper (default ${DEFAULT-VALUE})")
        long stock;

        @Option(names = "--pay", defaultValue = "0.6", description = "share of reservations paid (default ${DEFAULT-VALUE})")
        double pay;

        @Option(names = "--cancel", defaultValue = "0.2", description = "share cancelled; the rest walk away (default ${DEFAULT-VALUE})")
        double cancel;

        @Option(names = "--payment-window", defaultValue = "2", description = "payment window in seconds (default ${DEFAULT-VALUE})")
        long paymentWindow;

        @Option(names = "--think", defaultValue = "200ms", converter = DurationConverter.class,
            description = "a shopper waits up to this long before paying or cancelling (default ${DEFAULT-VALUE})")
        Duration think;

        @Option(names = "--jitter", defaultValue = "500ms", converter = DurationConverter.class,
            description = "up to this much is added to every retry pause (default ${DEFAULT-VALUE})")
        Duration jitter;

        @Option(names = "--attempts", defaultValue = "10", description = "tries per step on 503/429/425 (default ${DEFAULT-VALUE})")
        int attempts;

        @Option(names = "--sold-out-retries", defaultValue = "1", description = "tries again after SOLD_OUT (default ${DEFAULT-VALUE})")
        int soldOutRetries;

        @Option(names = "--seed", defaultValue = "42", description = "the crowd's choices (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--warmup", defaultValue = "3s", converter = DurationConverter.class,
            description = "closed-loop purchases on another sale first, so the rush meets a warm server (0s: a cold one) (default ${DEFAULT-VALUE})")
        Duration warmup;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private ScenarioResult warmUp(final Target target, final String tag) throws Exception
        {
            if (warmup.isZero())
            {
                return null;
            }
            final var closed = load.settings(1).paced(Pacing.CLOSED, 0, load.maxRequests);
            return FloodScenarios.purchaseThroughput(target, new LoadSettings(closed.host(), closed.port(),
                closed.connections(), closed.threads(), Pacing.CLOSED, 0, closed.maxArrivals(), warmup, closed.grace(), closed.timeout()),
                10_000, 1_000_000_000L, tag + "-warmup");
        }

        private static String humane(final Duration d)
        {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }

        @Override
        public Integer call() throws Exception
        {
            if (load.rate != null || load.closed)
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "rush fires the whole crowd at the start instant: --rate and --closed do not apply");
            }
            final RushOptions options = new RushOptions(shoppers, stock, pay, cancel, paymentWindow, think, jitter, attempts,
                soldOutRetries, Duration.ofMillis(500), seed);
            // A crowd clicks on its own connections: unless told otherwise, give it up to 1,000, so
            // the generator's connection pool is not what queues the crowd.
            final boolean connectionsGiven = spec.commandLine().getParseResult().hasMatchedOption("--connections");
            final var base = load.settings(1);
            final var settings = (connectionsGiven ? base : base.withConnections(Math.min(shoppers, 1_000))).paced(Pacing.BURST, 0, shoppers);
            return exitCode(ScenarioRun.execute(targets, targets.target, "rush",
                ScenarioRun.folder(targets.results, "rush", targets.target.name()),
                (target, tag) ->
                {
                    final ScenarioResult warm = warmUp(target, tag);
                    final ScenarioResult rush = Rush.run(target, settings, options, tag);
                    if (warm != null)
                    {
                        rush.fact("warm-up", String.format("%s of closed-loop purchases on another sale, %,.0f answers/s", humane(warmup),
                            warm.stats().throughput()));
                        warm.checks().forEach(c -> rush.check(new Check("warm-up: " + c.name(), c.verdict(), c.detail())));
                    }
                    return rush;
                }, spec.commandLine().getOut()), spec);
        }
    }

    @Command(name = "purchase-throughput", mixinStandardHelpOptions = true, description = "Huge stock, many shoppers: every request is a purchase that goes the whole way (auth, gate, admission, body, ring, journal, engine, reply). Open loop at --rate (default 5000/s) or --closed for the maximum. Checks afterwards that every 201 is on the server's books and nothing was oversold.")
    static final class PurchaseThroughputCommand implements Callable<Integer>
    {
        @Mixin
        LoadOptions load;

        @Mixin
        TargetOptions targets;

        @Option(names = "--shoppers", defaultValue = "10000", description = "distinct shoppers, cycled; their tokens are verified once, then cached by the server (default ${DEFAULT-VALUE})")
        int shoppers;

        @Option(names = "--stock", defaultValue = "1000000000", description = "units on sale (default ${DEFAULT-VALUE})")
        long stock;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception
        {
            final var settings = load.settings(5_000);
            return exitCode(ScenarioRun.execute(targets, targets.target, "purchase-throughput",
                ScenarioRun.folder(targets.results, "purchase-throughput", targets.target.name()),
                (target, tag) -> FloodScenarios.purchaseThroughput(target, settings, shoppers, stock, tag), spec.commandLine().getOut()), spec);
        }
    }

    @Command(name = "sold-out-flood", mixinStandardHelpOptions = true, description = "A sale that is already sold out, hammered with purchases: what the \"no\" costs. Open loop at --rate (default 10000/s) or --closed for the maximum. Checks that nothing more was sold.")
    static final class SoldOutFloodCommand implements Callable<Integer>
    {
        @Mixin
        LoadOptions load;

        @Mixin
        TargetOptions targets;

        @Option(names = "--shoppers", defaultValue = "10000", description = "distinct shoppers, cycled (default ${DEFAULT-VALUE})")
        int shoppers;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception
        {
            final var settings = load.settings(10_000);
            return exitCode(ScenarioRun.execute(targets, targets.target, "sold-out-flood",
                ScenarioRun.folder(targets.results, "sold-out-flood", targets.target.name()),
                (target, tag) -> FloodScenarios.soldOutFlood(target, settings, shoppers, tag), spec.commandLine().getOut()), spec);
        }
    }
}
