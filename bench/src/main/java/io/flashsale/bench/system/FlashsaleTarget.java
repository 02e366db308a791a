package io.flashsale.bench.system;

import io.flashsale.http.FlashsaleServer;
import io.flashsale.http.ServerEnvironment;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.journal.process.ChildJava;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    private final ChildProcess child;
    private final FlashsaleServer inProcess;

    private FlashsaleTarget(final byte[] secret, final Path journal, final String description, final int port,
        final ChildProcess child, final FlashsaleServer inProcess)
    {
        this.secret = secret;
        this.journal = journal;
        this.description = description;
        this.port = port;
        this.child = child;
        this.inProcess = inProcess;
    }

    /** Starts a server whose files (config, secret, journal, log) live under {@code folder}; returns once it is ready. */
    public static FlashsaleTarget start(final Options options, final Path folder) throws IOException, InterruptedException
    {
        Files.createDirectories(folder);
        final byte[] secret = Secrets.random();
        final Path journal = folder.resolve("journal").toAbsolutePath();
        if (options.mode() == Mode.IN_PROCESS)
        {
            // The file is only the run's record here: the server is handed the same config directly.
            Files.writeString(folder.resolve("flashsale.yml"), yaml(config(options, 0, journal)));
            final FlashsaleServer server = FlashsaleServer.start(config(options, 0, journal),
                new ServerEnvironment().secret(AuthSecret.of(secret, "the bench")));
            return new FlashsaleTarget(secret, journal, "in-process FlashsaleServer (shares the generator's JVM)", server.port(), null, server);
        }
        final int port = ChildProcess.freePort();
        final Path configFile = folder.resolve("flashsale.yml");
        Files.writeString(configFile, yaml(config(options, port, journal)));
        final Path secretFile = Secrets.write(folder.resolve("secret"), secret);
        final List<String> jvm = new ArrayList<>(options.jvmOptions());
        final ChildProcess child = ChildProcess.start("flashsale",
            ChildJava.command(jvm, "io.flashsale.http.ServerMain",
                List.of("serve", "--config", configFile.toString(), "--secret-file", secretFile.toString())),
            Map.of(), folder.resolve("flashsale-server.log"));
        child.awaitHttp("http://127.0.0.1:" + port + "/health/ready", START_TIMEOUT);
        return new FlashsaleTarget(secret, journal,
            "child JVM pid " + child.pid() + " (ServerMain serve, log " + child.log() + ")", port, child, null);
    }

    static ServerConfig config(final Options options, final int port, final Path journal)
    {
        final ServerConfig config = new ServerConfig();
        config.server.host = "127.0.0.1";
        config.server.port = port;
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

    /** The few keys the bench sets; the rest keep the server's defaults. */
    static String yaml(final ServerConfig config)
    {
        return "# written by flashsale bench for one run\n"
            + "server:\n"
            + "  host: " + config.server.host + "\n"
            + "  port: " + config.server.port + "\n"
            + "  ioThreads: " + config.server.ioThreads + "\n"
            + "journal:\n"
            + "  directory: \"" + config.journal.directory.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n"
            + "limits:\n"
            + "  enabled: " + config.limits.enabled + "\n"
            + "admission:\n"
            + "  enabled: " + config.admission.enabled + "\n"
            + "core:\n"
            + "  waitStrategy: " + config.core.waitStrategy + "\n"
            + "  stageLayout: " + config.core.stageLayout + "\n";
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

    /** The child's exit code after {@link #close()}, or 0 in-process. */
    public int exitCode()
    {
        return child == null ? 0 : child.exitCode();
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
