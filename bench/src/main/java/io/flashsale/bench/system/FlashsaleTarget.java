package io.flashsale.bench.system;

import io.flashsale.http.FlashsaleServer;
import io.flashsale.http.ServerEnvironment;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The flashsale server under load, with a fresh secret and a journal in the results folder. By
 * default a child JVM ({@code io.flashsale.http.ServerMain serve}) so that it and the generator
 * are separate processes, as in production; in-process ({@link FlashsaleServer#start}) for tests,
 * where the generator and the server then share one JVM's heap and GC.
 *
 * <p>Token buckets are off: the whole crowd comes from 127.0.0.1, and a per-IP bucket would
 * measure the bucket. Admission control is on unless asked otherwise; the in-flight cap stays.
 */
public final class FlashsaleTarget implements Target
{
    /** How the server runs. */
    public enum Mode
    {
        CHILD,
        IN_PROCESS
    }

    /**
     * The knobs of a flashsale server under test.
     *
     * @param waitStrategy the ring's wait strategy (see {@code WaitStrategyKind}), or null for the server's default
     * @param stageLayout  PARALLEL or SERIAL (see {@code StageLayout}), or null for the server's default
     */
    public record Options(Mode mode, int ioThreads, boolean admission, String waitStrategy, String stageLayout, List<String> jvmOptions)
    {
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final byte[] secret;
    private final Path journal;
    private final String description;
    private final int port;
    private final ServerProcess child;
    private final FlashsaleServer inProcess;

    private FlashsaleTarget(final byte[] secret, final Path journal, final String description, final int port,
        final ServerProcess child, final FlashsaleServer inProcess)
    {
        this.secret = secret;
        this.journal = journal;
        this.description = description;
        this.port = port;
        this.child = child;
        this.inProcess = inProcess;
    }

    /** Starts a server whose files (config, journal, log) live under {@code folder}; returns once it is ready. */
    public static FlashsaleTarget start(final Options options, final Path folder) throws IOException, InterruptedException
    {
        Files.createDirectories(folder);
        final byte[] secret = Secrets.random();
        final Path journal = folder.resolve("journal").toAbsolutePath();
        final ServerConfig config = config(options, journal);
        if (options.mode() == Mode.IN_PROCESS)
        {
            // The file is only the run's record here: the server is handed the same config directly.
            ServerProcess.writeConfig(config, folder.resolve("flashsale.yml"));
            final FlashsaleServer server = FlashsaleServer.start(config, new ServerEnvironment().secret(AuthSecret.of(secret, "the bench")));
            return new FlashsaleTarget(secret, journal, "in-process FlashsaleServer (shares the generator's JVM)", server.port(), null, server);
        }
        final ServerProcess child = ServerProcess.launch(config, secret, options.jvmOptions(), false, folder, "flashsale");
        final ServerProcess.Start start = child.awaitReady(START_TIMEOUT);
        if (!start.ready())
        {
            throw new IllegalStateException("the flashsale server exited with code " + start.exitCode() + " before it was ready; its log "
                + child.log() + " ends:\n" + start.logTail());
        }
        return new FlashsaleTarget(secret, journal,
            "child JVM pid " + child.pid() + " (ServerMain serve, log " + child.log() + ")", child.port(), child, null);
    }

    /** The few keys the bench sets; the rest keep the server's defaults. The port is chosen at start. */
    static ServerConfig config(final Options options, final Path journal)
    {
        final ServerConfig config = new ServerConfig();
        config.server.host = "127.0.0.1";
        config.server.ioThreads = options.ioThreads();
        config.journal.directory = journal.toString();
        config.limits.enabled = false;
        config.admission.enabled = options.admission();
        if (options.waitStrategy() != null)
        {
            config.core.waitStrategy = options.waitStrategy();
        }
        if (options.stageLayout() != null)
        {
            config.core.stageLayout = options.stageLayout();
        }
        return config;
    }

    /** CPU seconds the server process has used so far (NaN in-process: it shares the generator's JVM). */
    public double cpuSeconds()
    {
        return child != null ? child.cpuSeconds() : Double.NaN;
    }

    @Override
    public String name()
    {
        return "flashsale";
    }

    @Override
    public String description()
    {
        return description;
    }


    @Override
    public int port()
    {
        return port;
    }

    @Override
    public byte[] secret()
    {
        return secret.clone();
    }

    @Override
    public boolean keepsBooks()
    {
        return true;
    }

    @Override
    public Path journalDirectory()
    {
        return journal;
    }

    @Override
    public void close()
    {
        if (child != null)
        {
            child.close();
        }
        if (inProcess != null)
        {
            inProcess.close();
        }
    }
}
