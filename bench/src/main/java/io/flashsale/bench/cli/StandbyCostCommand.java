package io.flashsale.bench.cli;

import io.flashsale.bench.compare.StandbyCost;
import io.flashsale.bench.system.FlashsaleTarget;
import io.flashsale.bench.system.StandbyTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code flashsale bench standby-cost}: what scripts/bench-replication-http runs. */
@Command(name = "standby-cost", mixinStandardHelpOptions = true, description = "What a hot standby costs a purchase: flashsale alone and flashsale as a primary with a standby process (serve --replication-link, standby --primary: child JVMs as a user deploys them), both started and warmed up, then --rounds rounds that visit alone and with-standby in turn: closed loop (maximum successful purchases/s, and their ratio) and open loop at each --rates (p99, and what the standby adds). Figures are medians of the rounds. Exit 1 if a check fails (books, journals, the standby staying in sync).")
final class StandbyCostCommand implements Callable<Integer>
{
    @Mixin
    LoadOptions load;

    @Mixin
    TargetOptions targets;

    @Option(names = "--mode", defaultValue = "sync", description = "replication mode: sync or async (default ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--rates", defaultValue = "5000,10000", split = ",", description = "open-loop rates for the p99, purchases/s (default ${DEFAULT-VALUE})")
    double[] rates;

    @Option(names = "--warmup", defaultValue = "20s", converter = DurationConverter.class,
        description = "a closed-loop run on each deployment before the rounds, not counted: the JIT needs it (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--rounds", defaultValue = "5", description = "measurement rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--shoppers", defaultValue = "10000", description = "distinct shoppers, cycled (default ${DEFAULT-VALUE})")
    int shoppers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Path folder = ScenarioRun.folder(targets.results, "standby-cost", mode);
        final FlashsaleTarget.Options options = new FlashsaleTarget.Options(FlashsaleTarget.Mode.CHILD, targets.ioThreads, !targets.noAdmission,
            targets.waitStrategy, targets.stageLayout, targets.jvmOptions());
        out.printf("standby-cost: %s, warm-up %s, %d rounds, results %s%n", load.settings(rates[0]).describe(), warmup, rounds, folder);
        final StandbyCost cost = new StandbyCost(new StandbyCost.Settings(load.settings(rates[0]), rates, warmup, rounds, shoppers), folder, out);
        final boolean passed = cost.run(f -> FlashsaleTarget.start(options, f), f -> StandbyTarget.start(options, mode, f));
        out.printf("results: %s%n", folder);
        out.flush();
        if (!passed)
        {
            spec.commandLine().getErr().println("flashsale bench standby-cost: FAIL: a check failed (see above)");
            return 1;
        }
        return 0;
    }
}
