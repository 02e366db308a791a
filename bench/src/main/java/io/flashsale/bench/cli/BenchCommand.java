package io.flashsale.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code flashsale bench}: the open-loop HTTP load generator and its scenarios, the generator's
 * own ceiling, and the side-by-side comparison with the baselines. Main thread.
 */
@Command(name = "flashsale bench", mixinStandardHelpOptions = true,
    description = "Latency benchmarks over real HTTP. Requests are sent on a schedule (open loop) and latency is measured from each one's intended send time, so a stalled server is charged for every request it held up (no coordinated omission). Each run starts its server, writes a results folder (summary, HdrHistogram .hgrm files, latency.html) and stops everything by itself.",
    subcommands = {
        ScenarioCommands.RushCommand.class,
        ScenarioCommands.PurchaseThroughputCommand.class,
        ScenarioCommands.SoldOutFloodCommand.class,
        CeilingCommand.class,
        CompareCommand.class,
        StandbyCostCommand.class})
public final class BenchCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "name a command: rush, purchase-throughput, sold-out-flood, ceiling, compare or standby-cost");
    }

    public static void main(final String[] args)
    {
        final CommandLine commandLine = new CommandLine(new BenchCommand());
        commandLine.setExecutionExceptionHandler((ex, cmd, parsed) ->
        {
            cmd.getErr().println("flashsale bench: " + (ex instanceof IllegalStateException || ex instanceof IllegalArgumentException
                ? ex.getMessage() : ex.toString()));
            if (!(ex instanceof IllegalStateException || ex instanceof IllegalArgumentException))
            {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return 2;
        });
        System.exit(commandLine.execute(args));
    }
}
