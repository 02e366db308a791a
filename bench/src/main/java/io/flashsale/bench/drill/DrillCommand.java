package io.flashsale.bench.drill;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code flashsale drill}: the reliability drills a person runs before a sale. Each starts the
 * real server (a child JVM), drives it over real HTTP on 127.0.0.1, writes a JSON report under
 * {@code results/drills/} and prints a summary; exit code 1 when a check failed, 3 when none failed
 * but one could not be judged. Main thread.
 */
@Command(name = "flashsale drill", mixinStandardHelpOptions = true,
    description = {
        "Reliability drills against the real server over HTTP, each bounded in requests and time:",
        "  crash     kill -9 under load, restart, and check every acknowledged order survived",
        "  overload  several times the measured capacity, open loop: every request answered quickly",
        "  crowd     a million distinct shoppers: the memory each costs, and that it is given back",
        "  diskfull  the journal's disk filled under load: 503 journal-full, no hang, back by itself, nothing lost",
        "  failover  primary + hot standby, kill -9 the primary under load, promote: no acknowledged order lost (sync)",
        "  partition primary and standby in network namespaces, replication cut under load: the primary stalls, the",
        "            standby is promoted, the old primary rejoins with its tail quarantined (root, iproute2)",
        "Reports: results/drills/<time>-<drill>/report.json. Each check says PASS, FAIL or NOT JUDGED (too short a run",
        "to judge it). Exit 0 every check passed, 1 a check failed, 2 usage or setup error, 3 nothing failed but a",
        "check was not judged."},
    subcommands = {CrashCommand.class, OverloadCommand.class, CrowdCommand.class, DiskfullCommand.class, FailoverCommand.class,
        PartitionCommand.class})
public final class DrillCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a drill: crash, overload, crowd, diskfull, failover or partition");
    }

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling, for main and tests. */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new DrillCommand());
        commandLine.setExecutionExceptionHandler((ex, cmd, parsed) ->
        {
            final boolean plain = ex instanceof IllegalStateException || ex instanceof IllegalArgumentException;
            cmd.getErr().println("flashsale drill: " + (plain ? ex.getMessage() : ex.toString()));
            if (!plain)
            {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return 2;
        });
        return commandLine;
    }
}
