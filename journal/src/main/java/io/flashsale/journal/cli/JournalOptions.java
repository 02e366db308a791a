package io.flashsale.journal.cli;

import io.flashsale.journal.audit.JournalFolder;
import io.flashsale.journal.audit.UnreadableJournalException;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every journal command takes. */
final class JournalOptions
{
    @Option(names = "--journal", required = true, paramLabel = "DIR",
        description = "The engine's data folder (holding journal/ and snapshots/), or its journal/ folder.")
    Path directory;

    @Option(names = "--no-progress", description = "No progress bar (there is none anyway when stderr is not a terminal).")
    boolean noProgress;

    JournalFolder folder() throws UnreadableJournalException
    {
        return JournalFolder.resolve(directory);
    }
}
