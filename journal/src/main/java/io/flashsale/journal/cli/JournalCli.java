package io.flashsale.journal.cli;

import io.flashsale.journal.audit.UnreadableJournalException;
import io.flashsale.journal.logging.ProcessLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;

/**
 * {@code flashsale journal}: the ops tool for a journal. Verifies its history against the engine's
 * invariants, prints per-sale statistics, dumps commands as JSON lines, and writes a snapshot
 * offline. Reads the journal read-only, so it may run beside a live engine.
 *
 * <p>Exit codes: 0 all good, 1 a violation was found, 2 usage error or unreadable journal.
 */
@Command(
    name = "flashsale journal",
    mixinStandardHelpOptions = true,
    version = "flashsale journal 0.1",
    description = "Inspect and check a flashsale journal (the data folder holding journal/ and snapshots/).",
    subcommands = {VerifyCommand.class, StatsCommand.class, DumpCommand.class, SnapshotCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:all good", "1:a violation was found (verify)", "2:usage error, or a missing, empty or unreadable journal"})
public final class JournalCli implements Runnable
{
    public static final int OK = 0;
    public static final int VIOLATION = 1;
    public static final int UNREADABLE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: verify, stats, dump or snapshot");
    }

    /** The command line with the journal's exit codes; tests call {@code execute} on it with their own out/err. */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new JournalCli());
        commandLine.setExecutionExceptionHandler((ex, cmd, parsed) ->
        {
            if (ex instanceof UnreadableJournalException || ex instanceof IOException)
            {
                cmd.getErr().println("error: " + ex.getMessage());
            }
            else
            {
                cmd.getErr().println("error: " + ex);
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return UNREADABLE;
        });
        return commandLine;
    }

    public static void main(final String[] args)
    {
        try
        {
            ProcessLogging.install();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("flashsale journal: " + ex.getMessage());
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }
}
