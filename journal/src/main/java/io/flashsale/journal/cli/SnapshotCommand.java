package io.flashsale.journal.cli;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.journal.audit.HistoryReplay;
import io.flashsale.journal.audit.JournalFolder;
import io.flashsale.journal.snapshot.ByteArrayDataOutput;
import io.flashsale.journal.snapshot.SnapshotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code snapshot}: replays the journal offline and writes a snapshot of its end state. */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = {
        "Writes a snapshot of the journal's end state, offline.",
        "",
        "Replays the whole journal and writes a snapshot of the state at its last record into the snapshots/",
        "folder (the same format, checks and atomic rename as the engine's own), so the next start replays less.",
        "Safe beside a running engine: the snapshot covers a prefix of the journal."})
final class SnapshotCommand implements Callable<Integer>
{
    @Mixin
    JournalOptions options;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "3", description = "Snapshots to keep after writing (default: ${DEFAULT-VALUE}).")
    int keep;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (keep < 1)
        {
            err.println("error: --keep must be at least 1");
            return JournalCli.UNREADABLE;
        }
        final JournalFolder folder = options.folder();
        try (HistoryReplay history = HistoryReplay.open(folder))
        {
            final HistoryReplay.Result result;
            try (Progress progress = Progress.start("snapshot", history.lastRecordSequence(), !options.noProgress))
            {
                result = history.replay((sequence, index, command, engine) -> true, progress);
            }
            if (result.damaged())
            {
                err.println("error: " + result.problemSummary() + "; no snapshot written (run `verify`)");
                return JournalCli.UNREADABLE;
            }
            if (result.records() == 0)
            {
                err.println("error: empty journal: " + folder.queue() + " holds no records");
                return JournalCli.UNREADABLE;
            }
            if (result.tail() != null && !result.tail().clean())
            {
                err.println("warning: the journal ends in an unfinished write (" + result.tail().detail() + "); the snapshot covers the " +
                    result.lastSequence() + " complete records");
            }
            final SaleEngine engine = history.engine();
            final ByteArrayDataOutput state = new ByteArrayDataOutput(64 * (engine.orders().count() + 16));
            EngineSnapshot.write(engine, state);
            final SnapshotStore store = new SnapshotStore(folder.snapshots());
            final Path written = store.write(state.array(), state.length(), engine.appliedCount(), engine.now());
            store.prune(keep);
            out.println("wrote " + written + " covering sequence 1.." + engine.appliedCount() + " (" + state.length() + " bytes)");
            return JournalCli.OK;
        }
    }
}
