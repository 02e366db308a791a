package io.flashsale.journal.cli;

import io.flashsale.engine.SaleEngine;
import io.flashsale.journal.audit.CommandText;
import io.flashsale.journal.audit.HistoryReplay;
import io.flashsale.journal.audit.InvariantChecker;
import io.flashsale.journal.audit.JournalFolder;
import io.flashsale.journal.audit.SnapshotCrossCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code verify}: replays the whole history and checks every invariant at every step. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Replays the whole history and checks every invariant after every command.",
        "",
        "Replays the whole history into a fresh engine and checks every invariant after every command:",
        "available + reserved + paid == stock per sale, per-user limits, no PAID at or after its deadline,",
        "unique dense order ids, journal sequences without gaps, sound records (checksums), and that every",
        "snapshot on disk equals the replayed state at its sequence. A full recount from the orders ends it.",
        "Prints the first violation (sequence, index, command, what broke) and exits 1; exits 0 when all hold."})
final class VerifyCommand implements Callable<Integer>
{
    @Mixin
    JournalOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final JournalFolder folder = options.folder();
        final SnapshotCrossCheck snapshots = new SnapshotCrossCheck(folder.snapshots());
        final InvariantChecker checker = new InvariantChecker();
        final String[] violation = new String[1];
        try (HistoryReplay history = HistoryReplay.open(folder))
        {
            final HistoryReplay.Result result;
            try (Progress progress = Progress.start("verify", history.lastRecordSequence(), !options.noProgress))
            {
                result = history.replay((sequence, index, command, engine) ->
                {
                    String broken = checker.afterCommand(command, engine);
                    if (broken == null)
                    {
                        broken = snapshots.check(sequence, engine);
                    }
                    if (broken != null)
                    {
                        violation[0] = "VIOLATION at sequence " + sequence + " (index 0x" + Long.toHexString(index) + "), " +
                            CommandText.describe(command) + ": " + broken;
                        return false;
                    }
                    return true;
                }, progress);
            }
            if (violation[0] != null)
            {
                out.println(violation[0]);
                return JournalCli.VIOLATION;
            }
            if (result.damaged())
            {
                out.println("VIOLATION at sequence " + (result.lastSequence() + 1) + " (index " + result.problemIndexText() + "): " +
                    result.problem() + " (after " + result.records() + " sound records)");
                return JournalCli.VIOLATION;
            }
            if (result.records() == 0)
            {
                err.println("error: empty journal: " + folder.queue() + " holds no records");
                return JournalCli.UNREADABLE;
            }
            final SaleEngine engine = history.engine();
            final String recount = InvariantChecker.fullRecount(engine);
            if (recount != null)
            {
                out.println("VIOLATION at the end (sequence " + result.lastSequence() + "): " + recount);
                return JournalCli.VIOLATION;
            }
            final List<String> warnings = snapshots.finish(result.lastSequence());
            if (result.tail() != null && !result.tail().clean())
            {
                warnings.add("the journal ends in an unfinished write after sequence " + result.lastSequence() + " (" +
                    result.tail().detail() + "); the engine refuses to start until told to truncate it");
            }
            for (final String warning : warnings)
            {
                err.println("warning: " + warning);
            }
            out.println("OK: " + result.records() + " commands, sequences 1.." + result.lastSequence() + " without gaps, " +
                "invariants hold after every command; " + engine.saleCount() + " sales, " + engine.orders().count() + " orders; " +
                snapshots.matched() + " snapshot(s) match the replay");
            return JournalCli.OK;
        }
    }
}
