package io.flashsale.journal.space;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a folder, for the drills and tests that fill the journal's file system
 * ({@code mount -t tmpfs -o size=N tmpfs DIR}; root only). {@link #close} unmounts it.
 *
 * <p>One thread: the drill's or the test's.
 */
public final class TmpfsMount implements AutoCloseable
{
    private final Path directory;
    private boolean mounted;

    private TmpfsMount(final Path directory)
    {
        this.directory = directory;
        this.mounted = true;
    }

    /**
     * Mounts a tmpfs of {@code sizeBytes} on {@code directory} (created when missing).
     *
     * @throws MountRefused when this process may not mount (not root, a container without the right)
     */
    public static TmpfsMount mount(final Path directory, final long sizeBytes) throws IOException, MountRefused
    {
        Files.createDirectories(directory);
        final String output = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes + ",mode=0755", "tmpfs", directory.toString()));
        if (output != null)
        {
            throw new MountRefused("cannot mount a tmpfs on " + directory + ": " + output.strip());
        }
        return new TmpfsMount(directory);
    }

    public Path directory()
    {
        return directory;
    }

    /** Unmounts (lazily, when a file is still open: a killed child's descriptors close a moment later). Idempotent. */
    @Override
    public void close() throws IOException
    {
        if (!mounted)
        {
            return;
        }
        mounted = false;
        final String output = run(List.of("umount", directory.toString()));
        if (output != null)
        {
            final String lazy = run(List.of("umount", "-l", directory.toString()));
            if (lazy != null)
            {
                throw new IOException("cannot unmount " + directory + ": " + output.strip() + " / " + lazy.strip());
            }
        }
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(final List<String> command) throws IOException
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            return command.get(0) + " cannot run: " + ex.getMessage();
        }
        try
        {
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish in 30 s";
            }
            return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + new String(output, StandardCharsets.UTF_8);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + command, ex);
        }
    }

    /** Mounting is not permitted here: the drill is not judged, the test is skipped. */
    public static final class MountRefused extends Exception
    {
        public MountRefused(final String message)
        {
            super(message);
        }
    }
}
