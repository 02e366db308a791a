package io.flashsale.journal.link;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;

/** Starting link ends on 127.0.0.1 with free ports, for tests. */
final class Links
{
    static final byte[] SECRET = "link-test-secret-of-some-length".getBytes(StandardCharsets.UTF_8);
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private Links()
    {
    }

    static LinkServer.Config server()
    {
        return new LinkServer.Config()
            .endpoint(new LinkEndpoint("127.0.0.1", 0))
            .secret(SECRET)
            .errorHandler(Throwable::printStackTrace);
    }

    static LinkServer launch(final LinkServer.Config config, final CoreRecorder recorder)
    {
        final LinkServer server = LinkServer.launch(config, recorder);
        recorder.server = server;
        return server;
    }

    static LinkClient.Config client(final LinkServer server, final int edgeId)
    {
        return client(server.endpoint(), edgeId);
    }

    /**
     * An edge that tolerates a silent core for 1 s: these tests share two cores with other builds,
     * and only the liveness tests are about the production default of 3 heartbeat intervals.
     */
    static LinkClient.Config client(final LinkEndpoint core, final int edgeId)
    {
        return new LinkClient.Config()
            .core(core)
            .endpoint(new LinkEndpoint("127.0.0.1", 0))
            .edgeId(edgeId)
            .secret(SECRET)
            .silenceIntervals(20)
            .errorHandler(Throwable::printStackTrace);
    }

    static void awaitJoined(final LinkClient client)
    {
        await().atMost(PATIENCE).pollInterval(5, TimeUnit.MILLISECONDS).until(client::isCoreAvailable);
    }

    static CommandEvent purchase(final long saleId, final long userId, final int qty, final long key)
    {
        final CommandEvent command = new CommandEvent();
        command.type = CommandType.PURCHASE;
        command.timestamp = System.currentTimeMillis();
        command.saleId = saleId;
        command.userId = userId;
        command.qty = qty;
        command.idempotencyKey = key;
        return command;
    }

    /** Sends, retrying while the outbox is full; fails when the link is not joined. */
    static long send(final LinkClient client, final CommandEvent command)
    {
        while (true)
        {
            final long id = client.sendCommand(command);
            if (id >= 0)
            {
                return id;
            }
            if (id == LinkClient.NOT_JOINED)
            {
                throw new IllegalStateException("link not joined");
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
