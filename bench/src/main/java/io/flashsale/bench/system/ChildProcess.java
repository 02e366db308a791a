package io.flashsale.bench.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server the bench started as a child process: its output goes to a log file, {@link #awaitHttp}
 * waits until it answers, {@link #close} asks it to stop (SIGTERM, so it drains) and kills it if
 * it will not. A JVM shutdown hook does the same (SIGTERM, at most 10 s, then SIGKILL), so an
 * interrupted bench or a demo stopped with Ctrl-C leaves nothing running and no journal torn.
 *
 * <p>Main thread.
 */
public final class ChildProcess implements AutoCloseable
{
    private final String name;
    private final Process process;
    private final Path log;
    private final Thread reaper;

    private ChildProcess(final String name, final Process process, final Path log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
        this.reaper = new Thread(this::stopAtExit, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    public static ChildProcess start(final String name, final List<String> command, final Map<String, String> environment, final Path log)
        throws IOException
    {
        Files.createDirectories(log.toAbsolutePath().getParent());
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new ChildProcess(name, builder.start(), log);
    }

    /** A port that was free a moment ago on 127.0.0.1, for a child that cannot report the one it bound. */
    public static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /**
     * Polls {@code url} until it answers 2xx.
     *
     * @throws IllegalStateException when the process exits first or {@code timeout} passes, with the log's tail
     */
    public void awaitHttp(final String url, final Duration timeout) throws InterruptedException
    {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " before it answered; "
                    + "its log " + log + " ends:\n" + tail());
            }
            try
            {
                final HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2)
                {
                    return;
                }
            }
            catch (final IOException notYet)
            {
                // not listening yet
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException(name + " did not answer " + url + " within " + timeout.toSeconds() + " s; its log " + log + " ends:\n" + tail());
    }

    /**
     * Waits until the log has a line starting with {@code prefix} followed by a number (a port the
     * child bound), and returns the number.
     */
    public int awaitLine(final String prefix, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            try
            {
                for (final String line : Files.readAllLines(log))
                {
                    if (line.startsWith(prefix))
                    {
                        return Integer.parseInt(line.substring(prefix.length()).trim());
                    }
                }
            }
            catch (final IOException | NumberFormatException notYet)
            {
                // not written yet
            }
            if (!process.isAlive())
            {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; its log " + log + " ends:\n" + tail());
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException(name + " did not print '" + prefix + "' within " + timeout.toSeconds() + " s; its log ends:\n" + tail());
    }

    public long pid()
    {
        return process.pid();
    }

    public Path log()
    {
        return log;
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** The last lines of the log, for error messages. */
    public String tail()
    {
        try
        {
            final List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        }
        catch (final IOException ex)
        {
            return "(log unreadable: " + ex.getMessage() + ")";
        }
    }

    private void stopAtExit()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
        }
    }

    /** Stops the process: SIGTERM, up to 20 s to drain and exit, then SIGKILL. Returns its exit code. */
    @Override
    public void close()
    {
        try
        {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the hook runs anyway
        }
    }

    /** Waits for the process to exit by itself; kills it after {@code timeout}. Returns its exit code. */
    public int waitFor(final Duration timeout) throws InterruptedException
    {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the hook runs anyway
        }
        return process.exitValue();
    }

    public int exitCode()
    {
        return process.isAlive() ? -1 : process.exitValue();
    }
}
