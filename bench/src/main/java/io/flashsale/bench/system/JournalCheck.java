package io.flashsale.bench.system;

import io.flashsale.bench.scenario.Check;
import io.flashsale.journal.process.ChildJava;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * After a run, once the server has stopped: {@code flashsale journal verify --journal DIR} on the
 * server's journal, as a child process (exit 0: every invariant held over the whole history).
 * When the server kept no journal there, says so instead of pretending a check passed.
 *
 * <p>Main thread.
 */
public final class JournalCheck
{
    static final String CLI = "io.flashsale.journal.cli.JournalCli";

    private JournalCheck()
    {
    }

    /** What verification found: a check when it ran, else the reason it did not. */
    public record Verdict(Check check, String notRun)
    {
    }

    public static Verdict verify(final Path journal, final Path log) throws IOException, InterruptedException
    {
        if (journal == null)
        {
            return new Verdict(null, "the target keeps no flashsale journal");
        }
        if (!hasFiles(journal))
        {
            return new Verdict(null, "not verified: the server wrote no journal at " + journal
                + " (the journal is not wired into the server yet)");
        }
        if (!onClassPath())
        {
            return new Verdict(null, "not verified: " + CLI + " is not on the class path");
        }
        final ChildProcess verify = ChildProcess.start("journal-verify",
            ChildJava.command(List.of(), CLI, List.of("verify", "--journal", journal.toString(), "--no-progress")), Map.of(), log);
        final int exit = verify.waitFor(Duration.ofMinutes(5));
        final String tail = verify.tail().lines().reduce((a, b) -> b).orElse("");
        return new Verdict(Check.of("flashsale journal verify --journal " + journal, exit == 0,
            "exit " + exit + (tail.isBlank() ? "" : ": " + tail.trim()) + " (log " + log + ")"), null);
    }

    private static boolean hasFiles(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            return files.anyMatch(Files::isRegularFile);
        }
    }

    private static boolean onClassPath()
    {
        try
        {
            Class.forName(CLI, false, JournalCheck.class.getClassLoader());
            return true;
        }
        catch (final ClassNotFoundException ex)
        {
            return false;
        }
    }
}
