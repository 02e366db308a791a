package io.flashsale.bench.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * flashsale as a user deploys it with a hot standby: a primary ({@code serve} with
 * {@code replication.link}) and a standby ({@code standby --primary}), two child JVMs with their
 * own journals, over Aeron on 127.0.0.1. The load goes to the primary; the target is ready once
 * the primary's readiness says its standby is in sync. Same knobs as {@link FlashsaleTarget}.
 *
 * <p>Main thread.
 */
public final class StandbyTarget implements Target
{
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PEER_TIMEOUT_MILLIS = 5_000;

    private final ServerProcess primary;
    private final ServerProcess standby;
    private final byte[] secret;
    private final Path journal;
    private final String mode;
    private final HttpClient http = HttpClient.newHttpClient();

    private StandbyTarget(final ServerProcess primary, final ServerProcess standby, final byte[] secret, final Path journal, final String mode)
    {
        this.primary = primary;
        this.standby = standby;
        this.secret = secret;
        this.journal = journal;
        this.mode = mode;
    }

    /** @param mode "sync" or "async" */
    public static StandbyTarget start(final FlashsaleTarget.Options options, final String mode, final Path folder)
        throws IOException, InterruptedException
    {
        Files.createDirectories(folder);
        final byte[] secret = Secrets.random();
        final Path journal = folder.resolve("primary-journal").toAbsolutePath();
        final String primaryLink = "127.0.0.1:" + freeUdpPort();
        final ServerConfig primaryConfig = FlashsaleTarget.config(options, journal);
        primaryConfig.replication.link = primaryLink;
        primaryConfig.replication.mode = mode;
        // What is measured is the standby's cost, not loss detection: on a shared machine under
        // load a process can be starved for over a second, and a lost standby stalls the primary.
        primaryConfig.replication.peerTimeoutMillis = PEER_TIMEOUT_MILLIS;
        final ServerConfig standbyConfig = FlashsaleTarget.config(options, folder.resolve("standby-journal").toAbsolutePath());
        standbyConfig.replication.link = "127.0.0.1:" + freeUdpPort();
        standbyConfig.replication.mode = mode;
        standbyConfig.replication.primary = primaryLink;
        standbyConfig.replication.peerTimeoutMillis = PEER_TIMEOUT_MILLIS;
        final ServerProcess primary = ready(ServerProcess.launch(primaryConfig, secret, options.jvmOptions(), false, folder, "primary"));
        final ServerProcess standby;
        try
        {
            standby = ready(ServerProcess.launchStandby(standbyConfig, secret, options.jvmOptions(), folder, "standby"));
        }
        catch (final IOException | RuntimeException | InterruptedException ex)
        {
            primary.close();
            throw ex;
        }
        final StandbyTarget target = new StandbyTarget(primary, standby, secret, journal, mode);
        try
        {
            target.awaitInSync();
        }
        catch (final IOException | RuntimeException | InterruptedException ex)
        {
            target.close();
            throw ex;
        }
        return target;
    }

    /** Whether the primary says its standby is in sync right now (its readiness). */
    public boolean inSync() throws IOException, InterruptedException
    {
        return readiness().path("replication").path("inSync").asBoolean();
    }

    /** The primary's readiness body, for a report. */
    public JsonNode readiness() throws IOException, InterruptedException
    {
        final HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(URI.create(primary.base() + "/health/ready")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private void awaitInSync() throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!inSync())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the standby was not in sync within " + PATIENCE.toSeconds() + " s: " + readiness());
            }
            Thread.sleep(50);
        }
    }

    private static ServerProcess ready(final ServerProcess server) throws InterruptedException
    {
        final ServerProcess.Start start = server.awaitReady(PATIENCE);
        if (!start.ready())
        {
            server.close();
            throw new IllegalStateException("a server did not start (exit " + start.exitCode() + "); its log ends:\n" + start.logTail());
        }
        return server;
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    /** CPU seconds of the primary and the standby so far. */
    public double cpuSeconds()
    {
        return primary.cpuSeconds() + standby.cpuSeconds();
    }

    /** CPU seconds of the standby alone so far. */
    public double standbyCpuSeconds()
    {
        return standby.cpuSeconds();
    }

    public long primaryPid()
    {
        return primary.pid();
    }

    public long standbyPid()
    {
        return standby.pid();
    }

    @Override
    public String name()
    {
        return "flashsale-" + mode + "-standby";
    }

    @Override
    public String description()
    {
        return "primary child JVM pid " + primary.pid() + " (log " + primary.log() + ") with a " + mode + " standby, child JVM pid "
            + standby.pid() + " (log " + standby.log() + ")";
    }

    @Override
    public int port()
    {
        return primary.port();
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
        standby.close();
        primary.close();
    }
}
