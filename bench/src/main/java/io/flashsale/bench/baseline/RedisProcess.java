package io.flashsale.bench.baseline;

import io.flashsale.bench.system.ChildProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code redis-server} as a child process on a loopback port of its own, with the
 * durable setting shops usually run (append-only file, fsync every second), its files in the run's
 * folder, no RDB snapshots. Stopped (SIGTERM: Redis flushes the AOF and exits) with the run.
 *
 * <p>Main thread.
 */
public final class RedisProcess implements AutoCloseable
{
    private final ChildProcess child;
    private final int port;

    private RedisProcess(final ChildProcess child, final int port)
    {
        this.child = child;
        this.port = port;
    }

    /** @throws IllegalStateException when redis-server is not installed (scripts/bench-compare installs it) */
    public static RedisProcess start(final Path folder) throws IOException, InterruptedException
    {
        final Path binary = find();
        final Path data = Files.createDirectories(folder.resolve("redis").toAbsolutePath());
        final int port = ChildProcess.freePort();
        final ChildProcess child = ChildProcess.start("redis-server", List.of(binary.toString(),
            "--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "yes",
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
            "--dir", data.toString(), "--daemonize", "no", "--logfile", ""), Map.of(), folder.resolve("redis-server.log"));
        final long deadline = System.nanoTime() + 15_000_000_000L;
        while (!ping(port))
        {
            if (!child.isAlive() || System.nanoTime() > deadline)
            {
                child.close();
                throw new IllegalStateException("redis-server did not answer PING on port " + port + "; its log ends:\n" + child.tail());
            }
            Thread.sleep(50);
        }
        return new RedisProcess(child, port);
    }

    static Path find()
    {
        for (final String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin"))
        {
            final Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-server is not installed: apt-get install redis-server (scripts/bench-compare installs it)");
    }

    private static boolean ping(final int port)
    {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port))
        {
            socket.setSoTimeout(1_000);
            final OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            final byte[] answer = new byte[7];
            final int read = in.read(answer);
            return read > 0 && new String(answer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        }
        catch (final IOException notYet)
        {
            return false;
        }
    }

    public int port()
    {
        return port;
    }

    public long pid()
    {
        return child.pid();
    }

    @Override
    public void close()
    {
        child.close();
    }
}
