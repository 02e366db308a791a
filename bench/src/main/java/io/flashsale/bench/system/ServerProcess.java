package io.flashsale.bench.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.journal.process.ChildJava;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One start of the real flashsale server in a child JVM: {@code ServerMain serve} with the
 * caller's configuration written to a file, the JWT secret in {@code FLASHSALE_AUTH_SECRET}, its
 * own log and GC log; or an edge ({@link #launchEdge}) the same way. The one way the bench starts
 * the server as a process: the drills (a crash
 * drill kills it with SIGKILL, {@link #kill9}, and starts a new one on the same journal) and
 * {@link FlashsaleTarget} for the scenarios. {@link #close} stops it with SIGTERM, so it drains.
 *
 * <p>Main thread of the run.
 */
public final class ServerProcess implements AutoCloseable
{
    /** Exit code of {@code serve} when the journal cannot be recovered (a torn tail, without truncation). */
    public static final int EXIT_CANNOT_RECOVER = 3;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern RECOVERED = Pattern.compile("recovered (\\d+) journaled commands in (\\d+) ms");

    private final ChildProcess child;
    private final String host;
    private final int port;
    private final Path log;
    private final Path gcLog;
    private final long launchedNanos;

    private ServerProcess(final ChildProcess child, final String host, final int port, final Path log, final Path gcLog,
        final long launchedNanos)
    {
        this.child = child;
        this.host = host;
        this.port = port;
        this.log = log;
        this.gcLog = gcLog;
        this.launchedNanos = launchedNanos;
    }

    /** How a start ended: ready to serve, or the process exited first (with its code and the log's tail). */
    public record Start(boolean ready, int exitCode, long millisToReady, String logTail)
    {
    }

    /**
     * Starts a server whose files are named {@code <name>.*} in {@code folder}. The configuration's
     * port is replaced by a free one. Returns at once; {@link #awaitReady} waits for it.
     */
    public static ServerProcess launch(final ServerConfig config, final byte[] secret, final List<String> jvmOptions,
        final boolean truncateTornTail, final Path folder, final String name) throws IOException
    {
        return launch(config, secret, jvmOptions, truncateTornTail, folder, name, null);
    }

    /** @param cpus the CPUs the server may run on (taskset list, e.g. "1"), or null for any */
    public static ServerProcess launch(final ServerConfig config, final byte[] secret, final List<String> jvmOptions,
        final boolean truncateTornTail, final Path folder, final String name, final String cpus) throws IOException
    {
        return launch("serve", config, secret, jvmOptions, truncateTornTail, folder, name, cpus, 0, List.of());
    }

    /** A server on a port the caller chose (a core restarted where its clients knew it); otherwise as {@link #launch}. */
    public static ServerProcess launchOnPort(final ServerConfig config, final byte[] secret, final List<String> jvmOptions,
        final boolean truncateTornTail, final Path folder, final String name, final int port) throws IOException
    {
        return launch("serve", config, secret, jvmOptions, truncateTornTail, folder, name, null, port, List.of());
    }

    /**
     * Starts an edge ({@code ServerMain edge}): the same public routes, its core at the
     * configuration's {@code edge.core}. Ready ({@link #awaitReady}) once it hears from the core.
     */
    public static ServerProcess launchEdge(final ServerConfig config, final byte[] secret, final List<String> jvmOptions,
        final Path folder, final String name) throws IOException
    {
        return launch("edge", config, secret, jvmOptions, false, folder, name, null, 0, List.of());
    }

    /**
     * Starts a hot standby ({@code ServerMain standby}) of the primary at the configuration's
     * {@code replication.primary}; {@code replication.link} is the address it opens once promoted.
     * Ready ({@link #awaitReady}) once it serves reads.
     */
    public static ServerProcess launchStandby(final ServerConfig config, final byte[] secret, final List<String> jvmOptions,
        final Path folder, final String name) throws IOException
    {
        return launch("standby", config, secret, jvmOptions, false, folder, name, null, 0, List.of("--primary", config.replication.primary));
    }

    /**
     * Where a server runs: inside the network namespace {@code namespace} ({@code ip netns exec};
     * null: this process's own), serving HTTP on {@code host}, an address of that namespace that
     * this process can reach.
     */
    public record Place(String namespace, String host)
    {
        public static final Place LOOPBACK = new Place(null, "127.0.0.1");
    }

    /**
     * A primary ({@code role} "serve") or a hot standby ("standby", of the configuration's
     * {@code replication.primary}) at {@code place}; otherwise as {@link #launch}.
     */
    public static ServerProcess launchAt(final Place place, final String role, final ServerConfig config, final byte[] secret,
        final List<String> jvmOptions, final Path folder, final String name) throws IOException
    {
        final List<String> roleArgs = "standby".equals(role) ? List.of("--primary", config.replication.primary) : List.of();
        return launch(place, role, config, secret, jvmOptions, false, folder, name, null, 0, roleArgs);
    }

    /**
     * Starts the demo server ({@code ServerMain demo}: a demo sale, the demo token route, the page
     * in demo mode) on 127.0.0.1:{@code port} with its link open for edges at {@code edgeLink}.
     */
    public static ServerProcess launchDemo(final byte[] secret, final List<String> jvmOptions, final Path folder, final String name,
        final int port, final Path journal, final String edgeLink, final int opensInSeconds) throws IOException
    {
        Files.createDirectories(folder);
        final Path gcLog = folder.resolve(name + "-gc.log");
        final List<String> jvm = new ArrayList<>();
        jvm.add("-Xlog:gc:file=" + gcLog + ":time");
        jvm.addAll(jvmOptions);
        final Path log = folder.resolve(name + ".log");
        final long launched = System.nanoTime();
        final ChildProcess child = ChildProcess.start(name, ChildJava.command(jvm, "io.flashsale.http.ServerMain", List.of("demo",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--journal", journal.toString(), "--edge-link", edgeLink,
                "--opens-in", Integer.toString(opensInSeconds))),
            Map.of(AuthSecret.ENV, new String(secret, StandardCharsets.UTF_8)), log);
        return new ServerProcess(child, "127.0.0.1", port, log, gcLog, launched);
    }

    /** The first number after {@code prefix} on a line of the log (the demo's sale id), waiting for it. */
    public long awaitLogNumber(final String prefix, final Duration timeout) throws InterruptedException
    {
        return child.awaitLine(prefix, timeout);
    }

    private static ServerProcess launch(final String role, final ServerConfig config, final byte[] secret, final List<String> jvmOptions,
        final boolean truncateTornTail, final Path folder, final String name, final String cpus, final int port, final List<String> roleArgs)
        throws IOException
    {
        return launch(Place.LOOPBACK, role, config, secret, jvmOptions, truncateTornTail, folder, name, cpus, port, roleArgs);
    }

    private static ServerProcess launch(final Place place, final String role, final ServerConfig config, final byte[] secret,
        final List<String> jvmOptions, final boolean truncateTornTail, final Path folder, final String name, final String cpus, final int port,
        final List<String> roleArgs) throws IOException
    {
        Files.createDirectories(folder);
        config.server.host = place.host();
        config.server.port = port > 0 ? port : ChildProcess.freePort();
        final Path configFile = writeConfig(config, folder.resolve(name + ".yml"));
        final Path gcLog = folder.resolve(name + "-gc.log");
        final List<String> jvm = new ArrayList<>();
        jvm.add("-Xlog:gc:file=" + gcLog + ":time");
        jvm.addAll(jvmOptions);
        final List<String> args = new ArrayList<>(List.of(role, "--config", configFile.toString()));
        args.addAll(roleArgs);
        if (truncateTornTail)
        {
            args.add("--truncate-torn-tail");
        }
        final Path log = folder.resolve(name + ".log");
        final long launched = System.nanoTime();
        final List<String> command = new ArrayList<>();
        if (place.namespace() != null)
        {
            // ip netns exec execs the command itself: the child's pid is the server's, SIGTERM and SIGKILL reach it.
            command.addAll(List.of("ip", "netns", "exec", place.namespace()));
        }
        command.addAll(CpuAffinity.on(cpus, ChildJava.command(jvm, "io.flashsale.http.ServerMain", args)));
        final ChildProcess child = ChildProcess.start(name, command, Map.of(AuthSecret.ENV, new String(secret, StandardCharsets.UTF_8)), log);
        return new ServerProcess(child, place.host(), config.server.port, log, gcLog, launched);
    }

    /** Writes {@code config} where the server reads it with its ordinary loader (JSON is YAML); returns the file. */
    public static Path writeConfig(final ServerConfig config, final Path file) throws IOException
    {
        Files.writeString(file, JSON.writeValueAsString(config));
        return file;
    }

    /**
     * Polls {@code /health/ready} until it answers 200 or the process exits.
     *
     * @throws IllegalStateException when {@code timeout} passes first (the process is stopped)
     */
    public Start awaitReady(final Duration timeout) throws InterruptedException
    {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        final HttpRequest ready = HttpRequest.newBuilder(URI.create(base() + "/health/ready")).timeout(Duration.ofSeconds(2)).build();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            if (!child.isAlive())
            {
                return new Start(false, child.exitCode(), -1, child.tail());
            }
            try
            {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200)
                {
                    return new Start(true, 0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedNanos), "");
                }
            }
            catch (final IOException notYet)
            {
                // not listening yet
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("the server (pid " + pid() + ") was not ready within " + timeout.toSeconds()
            + " s; its log " + log + " ends:\n" + child.tail());
    }

    /** SIGKILL, the way a machine losing the process would: no shutdown hook, no drain. Waits for the exit. */
    public void kill9() throws InterruptedException
    {
        final ProcessHandle handle = ProcessHandle.of(pid()).orElse(null);
        if (handle != null)
        {
            handle.destroyForcibly();
            try
            {
                handle.onExit().get(10, TimeUnit.SECONDS);
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                throw new IllegalStateException("pid " + pid() + " did not die after SIGKILL", ex);
            }
        }
        child.close(); // reaps it and drops the shutdown hook
    }

    /** SIGTERM: the server drains its ring and closes the journal; SIGKILL if it will not stop. */
    @Override
    public void close()
    {
        child.close();
    }

    public long pid()
    {
        return child.pid();
    }

    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    /**
     * CPU seconds the process has used so far, user and system, all its threads (the JDK reads
     * {@code /proc/PID/stat} on Linux); NaN once it is gone.
     */
    public double cpuSeconds()
    {
        return ProcessHandle.of(pid()).flatMap(handle -> handle.info().totalCpuDuration())
            .map(cpu -> cpu.toNanos() / 1e9).orElse(Double.NaN);
    }

    public String base()
    {
        return "http://" + host + ":" + port;
    }

    public boolean isAlive()
    {
        return child.isAlive();
    }

    public Path log()
    {
        return log;
    }

    public Path gcLog()
    {
        return gcLog;
    }

    /**
     * The recovery the server logged at start: journaled commands it holds and milliseconds its
     * recovery took, or null when the line is not (yet) in the log.
     */
    public long[] recovered() throws IOException
    {
        final Matcher matcher = RECOVERED.matcher(Files.readString(log, StandardCharsets.UTF_8));
        return matcher.find() ? new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))} : null;
    }

    /** The whole recovery line, for reports. */
    public String recoveryLine() throws IOException
    {
        for (final String line : Files.readAllLines(log, StandardCharsets.UTF_8))
        {
            final int at = line.indexOf("recovered ");
            if (at >= 0 && RECOVERED.matcher(line).find())
            {
                return line.substring(at).trim();
            }
        }
        return null;
    }

    /** The line recovery logs when it cut a torn write by itself (never acknowledged), or null. */
    public String tornTailCutLine() throws IOException
    {
        for (final String line : Files.readAllLines(log, StandardCharsets.UTF_8))
        {
            final int at = line.indexOf("TORN JOURNAL TAIL CUT");
            if (at >= 0)
            {
                return line.substring(at).trim();
            }
        }
        return null;
    }

    public String logTail()
    {
        return child.tail();
    }
}
