package io.flashsale.journal.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * A progress bar on stderr for commands that read a large journal; nothing at all when stderr is
 * not a terminal (pipes, files, tests) or when turned off. Used by the journal tool and the order feed.
 */
public final class Progress implements LongConsumer, AutoCloseable
{
    private final ProgressBar bar;

    private Progress(final ProgressBar bar)
    {
        this.bar = bar;
    }

    public static Progress start(final String task, final long total, final boolean wanted)
    {
        if (!wanted || total <= 0 || !stderrIsTerminal())
        {
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .setUpdateIntervalMillis(250)
            .setUnit(" cmds", 1)
            .showSpeed()
            .build());
    }

    /** Whether fd 2 is a terminal; System.console() only looks at stdin and stdout. */
    static boolean stderrIsTerminal()
    {
        try
        {
            final Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/2"));
            final String name = target.toString();
            return name.startsWith("/dev/pts/") || name.startsWith("/dev/tty");
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            return System.console() != null;
        }
    }

    @Override
    public void accept(final long done)
    {
        if (bar != null)
        {
            bar.stepTo(done);
        }
    }

    @Override
    public void close()
    {
        if (bar != null)
        {
            bar.close();
        }
    }
}
