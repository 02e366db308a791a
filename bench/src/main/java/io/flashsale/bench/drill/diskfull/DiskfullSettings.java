package io.flashsale.bench.drill.diskfull;

import io.flashsale.bench.drill.JavaOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * How a disk-full drill runs: the size of the tmpfs the journal lives on, the server's
 * {@code journal.minFreeBytes}, the purchase load (client threads, each buying for a new shopper
 * after every answer), how long each phase of the load lasts, the bound every request must be
 * answered within, the server's JVM options and the drill's folder. Made by {@link #builder()},
 * which holds the defaults and is also {@code flashsale drill diskfull}'s options.
 */
public record DiskfullSettings(
    long fileSystemBytes,
    long minFreeBytes,
    int clients,
    long phaseMillis,
    long answerBoundMillis,
    List<String> jvmOptions,
    Path folder)
{
    private static final long MIB = 1L << 20;

    public DiskfullSettings
    {
        if (minFreeBytes < 8 * MIB)
        {
            throw new IllegalArgumentException("--min-free-mib must be at least 8 (the journal allocates 4 MiB ahead of its writes), was "
                + minFreeBytes / MIB);
        }
        if (fileSystemBytes < 2 * minFreeBytes + 16 * MIB)
        {
            throw new IllegalArgumentException("--fs-mib must be at least twice --min-free-mib plus 16 (the journal, the filler's room), was "
                + fileSystemBytes / MIB);
        }
        if (clients < 1 || clients > 256)
        {
            throw new IllegalArgumentException("--clients must be between 1 and 256, was " + clients);
        }
        if (phaseMillis < 100 || phaseMillis > 600_000)
        {
            throw new IllegalArgumentException("--phase-seconds must be between 0.1 and 600, was " + phaseMillis / 1000.0);
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    String describe()
    {
        return String.format("tmpfs of %d MiB, journal.minFreeBytes %d MiB, %d purchase clients, %.1f s a phase, every answer within %d ms",
            fileSystemBytes / MIB, minFreeBytes / MIB, clients, phaseMillis / 1000.0, answerBoundMillis);
    }

    /** The disk-full drill's settings by name, from the defaults; the fields are the command's options ({@code @Mixin}). Main thread. */
    public static final class Builder
    {
        @Option(names = "--fs-mib", description = "size of the tmpfs the journal lives on, MiB (default ${DEFAULT-VALUE})")
        private long fileSystemMiB = 96;

        @Option(names = "--min-free-mib", description = "the server's journal.minFreeBytes, MiB (default ${DEFAULT-VALUE})")
        private long minFreeMiB = 16;

        @Option(names = "--clients", description = "purchase clients, each waiting for its answer (default ${DEFAULT-VALUE})")
        private int clients = 8;

        @Option(names = "--phase-seconds", description = "load before the fill, while full, and after the room is back (default ${DEFAULT-VALUE})")
        private double phaseSeconds = 3;

        @Option(names = "--answer-bound-ms", description = "every request must be answered within this (default ${DEFAULT-VALUE})")
        private long answerBoundMillis = 5_000;

        @Option(names = "--server-java-opts", description = "JVM options of the server, space separated (default ${DEFAULT-VALUE})")
        private String serverJavaOptions = "-Xmx512m";

        private Path folder;

        private Builder()
        {
        }

        public Builder fileSystemMiB(final long mib)
        {
            this.fileSystemMiB = mib;
            return this;
        }

        public Builder minFreeMiB(final long mib)
        {
            this.minFreeMiB = mib;
            return this;
        }

        public Builder clients(final int clients)
        {
            this.clients = clients;
            return this;
        }

        public Builder phaseSeconds(final double seconds)
        {
            this.phaseSeconds = seconds;
            return this;
        }

        public Builder answerBoundMillis(final long millis)
        {
            this.answerBoundMillis = millis;
            return this;
        }

        /** The server's JVM options, space separated. */
        public Builder serverJavaOptions(final String options)
        {
            this.serverJavaOptions = options;
            return this;
        }

        public Builder folder(final Path folder)
        {
            this.folder = folder;
            return this;
        }

        public DiskfullSettings build()
        {
            return new DiskfullSettings(fileSystemMiB * MIB, minFreeMiB * MIB, clients, Math.round(phaseSeconds * 1000),
                answerBoundMillis, JavaOptions.split(serverJavaOptions), folder);
        }
    }
}
