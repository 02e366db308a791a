package io.flashsale.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server main of the test class path in a child JVM, started with the JVM flags the build gives
 * the tests: its stdout lines arrive in a queue, its stderr goes to a file. Test thread.
 */
final class ChildServer implements AutoCloseable
{
    final Process process;
    final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildServer(final Process process, final Path stderr)
    {
        this.process = process;
        this.stderr = stderr;
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignored)
            {
                // the child is gone
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildServer start(final List<String> jvmOptions, final Class<?> main, final Path stderr, final String... args) throws IOException
    {
        return startWith(List.of(), jvmOptions, main, stderr, args);
    }

    /** The same, run through {@code prefix} (e.g. {@code ip netns exec NAME}, which execs the JVM in place). */
    static ChildServer startWith(
        final List<String> prefix, final List<String> jvmOptions, final Class<?> main, final Path stderr, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final String flags = System.getProperty("flashsale.jvm.flags", "");
        if (!flags.isBlank())
        {
            command.addAll(Arrays.asList(flags.trim().split("\\s+")));
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        final String underSurefire = System.getProperty("surefire.test.class.path");
        command.add(underSurefire != null && !underSurefire.isBlank() ? underSurefire : System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        return new ChildServer(new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
    }

    /** Waits for a stdout line starting with {@code prefix} and returns the rest of it. */
    String awaitLine(final String prefix, final Duration bound) throws InterruptedException
    {
        final long deadline = System.nanoTime() + bound.toNanos();
        while (true)
        {
            final String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null)
            {
                throw new AssertionError("no line '" + prefix + "…' from the child within " + bound + (process.isAlive() ? "" : "; it exited " + process.exitValue()));
            }
            if (line.startsWith(prefix))
            {
                return line.substring(prefix.length()).trim();
            }
        }
    }

    /** Waits for the child to exit on its own; fails the test if it does not within the bound. */
    int awaitExit(final Duration bound) throws InterruptedException
    {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("the child did not exit within " + bound);
        }
        return process.exitValue();
    }

    String stderrText() throws IOException
    {
        return java.nio.file.Files.readString(stderr);
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
