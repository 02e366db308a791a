package io.flashsale.bench.baseline;

import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.TokenVerifier;
import io.flashsale.http.config.AuthSecret;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The Redis baseline: an Undertow front doing flashsale's purchase the way most shops do today,
 * with a Lua script in Redis through one pipelined Lettuce connection. Started by the bench as a
 * child process ({@code RedisBaselineServer --port N --redis-port N --secret-file F}); stops on
 * SIGTERM.
 *
 * <p>Start and close from one thread.
 */
@Command(name = "redis-baseline", mixinStandardHelpOptions = true,
    description = "The Redis + Lua purchase baseline the bench compares flashsale with (not a product).")
public final class RedisBaselineServer implements AutoCloseable, Callable<Integer>
{
    @Option(names = "--port", defaultValue = "0", description = "HTTP port (0: any free port)")
    int port;

    @Option(names = "--redis-port", required = true, description = "port of the Redis server on 127.0.0.1")
    int redisPort;

    @Option(names = "--io-threads", defaultValue = "0", description = "Undertow IO threads (0: one per core)")
    int ioThreads;

    @Option(names = "--secret-file", required = true, description = "file holding the HS256 secret tokens are signed with")
    Path secretFile;

    private ClientResources resources;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private Undertow undertow;

    /** Connects to Redis, loads the script and starts listening; returns the bound port. */
    public int start() throws Exception
    {
        final byte[] secret = AuthSecret.of(stripNewline(Files.readAllBytes(secretFile)), "--secret-file").bytes();
        final int threads = ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
        resources = DefaultClientResources.builder().ioThreadPoolSize(threads).computationThreadPoolSize(threads).build();
        client = RedisClient.create(resources, RedisURI.builder().withHost("127.0.0.1").withPort(redisPort).withTimeout(Duration.ofSeconds(10)).build());
        connection = client.connect();
        final String sha = connection.sync().scriptLoad(PurchaseScript.LUA);
        final BaselineApi api = new BaselineApi(new TokenVerifier(secret, 100_000, System::currentTimeMillis),
            new PurchaseKeys(secret), connection.async(), sha);
        undertow = Undertow.builder()
            .addHttpListener(port, "127.0.0.1")
            .setIoThreads(threads)
            .setWorkerThreads(2)
            .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
            .setHandler(api)
            .build();
        undertow.start();
        return ((InetSocketAddress)undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public Integer call() throws Exception
    {
        final int bound = start();
        System.out.println("redis baseline serving on port " + bound + " (redis on " + redisPort + ")");
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            close();
            stopped.countDown();
        }, "redis-baseline-stop"));
        stopped.await();
        return 0;
    }

    @Override
    public synchronized void close()
    {
        if (undertow != null)
        {
            undertow.stop();
            undertow = null;
        }
        if (connection != null)
        {
            connection.close();
            client.shutdown();
            resources.shutdown();
            connection = null;
        }
    }

    private static byte[] stripNewline(final byte[] raw)
    {
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r'))
        {
            end--;
        }
        return Arrays.copyOf(raw, end);
    }

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new RedisBaselineServer()).execute(args));
    }
}
