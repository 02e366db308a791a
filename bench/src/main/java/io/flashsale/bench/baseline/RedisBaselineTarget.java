package io.flashsale.bench.baseline;

import io.flashsale.bench.system.ChildProcess;
import io.flashsale.bench.system.Secrets;
import io.flashsale.bench.system.Target;
import io.flashsale.journal.process.ChildJava;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Redis baseline under load: redis-server and the baseline's Undertow front, each a child
 * process, started and stopped together. Its books are Redis's counters, read through the same
 * admin routes as flashsale's; it keeps no journal of its own (Redis's AOF is its durability).
 *
 * <p>Main thread.
 */
public final class RedisBaselineTarget implements Target
{
    private final RedisProcess redis;
    private final ChildProcess front;
    private final int port;
    private final byte[] secret;

    private RedisBaselineTarget(final RedisProcess redis, final ChildProcess front, final int port, final byte[] secret)
    {
        this.redis = redis;
        this.front = front;
        this.port = port;
        this.secret = secret;
    }

    public static RedisBaselineTarget start(final Path folder, final int ioThreads, final List<String> jvmOptions)
        throws IOException, InterruptedException
    {
        Files.createDirectories(folder);
        final RedisProcess redis = RedisProcess.start(folder);
        try
        {
            final byte[] secret = Secrets.random();
            final Path secretFile = Secrets.write(folder.resolve("secret"), secret);
            final int port = ChildProcess.freePort();
            final ChildProcess front = ChildProcess.start("redis-baseline",
                ChildJava.command(jvmOptions, RedisBaselineServer.class.getName(), List.of("--port", Integer.toString(port),
                    "--redis-port", Integer.toString(redis.port()), "--io-threads", Integer.toString(ioThreads),
                    "--secret-file", secretFile.toString())),
                Map.of(), folder.resolve("redis-baseline.log"));
            front.awaitHttp("http://127.0.0.1:" + port + "/health/ready", Duration.ofSeconds(60));
            return new RedisBaselineTarget(redis, front, port, secret);
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            redis.close();
            throw ex;
        }
    }

    @Override
    public String name()
    {
        return "redis-baseline";
    }

    @Override
    public String description()
    {
        return "Undertow + Lettuce + Redis Lua, child JVM pid " + front.pid() + "; redis-server pid " + redis.pid()
            + " on port " + redis.port() + " with appendonly yes, appendfsync everysec";
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
    public void close()
    {
        front.close();
        redis.close();
    }
}
