package io.flashsale.bench.link;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.journal.codec.CommandCodec;
import io.flashsale.journal.link.LinkAuth;
import io.flashsale.journal.link.LinkClient;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.link.LinkHandler;
import io.flashsale.journal.link.LinkServer;
import io.flashsale.journal.link.LinkWire;
import io.flashsale.journal.link.OutcomeListener;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How many commands per second a core's {@link LinkServer} absorbs over UDP on loopback: decoded
 * from the journal codec and handed to its handler, which counts them (the ring is not in the
 * way: this is the link's ceiling, to set beside the HTTP front's).
 *
 * <ul>
 *   <li>{@code pre-encoded}: a raw Aeron publisher that joined with the secret offers one frame
 *       of purchases, encoded once, over and over (the edge's cost is out of the figure);</li>
 *   <li>{@code pre-encoded+reply}: the same, and the core answers each command with an outcome
 *       to the sender, which reads them;</li>
 *   <li>{@code LinkClient}: one thread calls {@link LinkClient#sendCommand} (codec + outbox +
 *       batching per duty cycle) as fast as it is let, the core answers each, the listener
 *       counts.</li>
 * </ul>
 * Each line is commands the core handler saw per second over one round after a warm-up round.
 * Everything runs in this process: two embedded media drivers (shared threading, backing off),
 * the core's agent and the sender share the machine's cores.
 *
 * <pre>  java $(flags) -cp bench/target/classes:bench/target/lib/* io.flashsale.bench.link.LinkAbsorption [seconds] [rounds]</pre>
 */
public final class LinkAbsorption
{
    private static final byte[] SECRET = "bench-secret".getBytes(StandardCharsets.UTF_8);
    private static final int EDGE_ID = 1;

    private LinkAbsorption()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("link absorption, UDP 127.0.0.1, %d s rounds, %d rounds after a warm-up, %d cores%n",
            seconds, rounds, Runtime.getRuntime().availableProcessors());
        report("pre-encoded", preEncoded(false, seconds, rounds));
        report("pre-encoded+reply", preEncoded(true, seconds, rounds));
        report("LinkClient+reply", throughClient(seconds, rounds));
    }

    private static void report(final String name, final List<Double> perSecond)
    {
        final List<Double> sorted = new ArrayList<>(perSecond);
        Collections.sort(sorted);
        final StringBuilder each = new StringBuilder();
        for (final double value : perSecond)
        {
            each.append(String.format(" %.2f", value / 1e6));
        }
        System.out.printf("%-20s median %.2f M commands/s  (rounds:%s)%n", name, sorted.get(sorted.size() / 2) / 1e6, each);
    }

    /** The core: counts commands and, when asked, answers each one. */
    private static final class CountingCore implements LinkHandler
    {
        final AtomicLong commands = new AtomicLong();
        final CommandEvent result = new CommandEvent();
        final boolean reply;
        volatile LinkServer server;
        long checksum;

        CountingCore(final boolean reply)
        {
            this.reply = reply;
            result.outcome = Outcome.RESERVED;
        }

        @Override
        public void onCommand(final int edgeId, final long correlationId, final CommandEvent command)
        {
            checksum += command.userId;
            commands.lazySet(commands.get() + 1);
            if (reply)
            {
                result.resultOrderId = correlationId;
                result.resultUserId = command.userId;
                while (!server.sendOutcome(edgeId, correlationId, result))
                {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private static LinkServer core(final CountingCore handler)
    {
        final LinkServer server = LinkServer.launch(new LinkServer.Config()
            .endpoint(new LinkEndpoint("127.0.0.1", 0))
            .secret(SECRET), handler);
        handler.server = server;
        return server;
    }

    private static List<Double> measure(final AtomicLong counter, final int seconds, final int rounds) throws InterruptedException
    {
        final List<Double> perSecond = new ArrayList<>();
        long allocatedAfterWarmUp = 0;
        long commandsAfterWarmUp = 0;
        for (int round = 0; round <= rounds; round++)
        {
            final long start = System.nanoTime();
            final long before = counter.get();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            final double rate = (counter.get() - before) * 1e9 / (System.nanoTime() - start);
            if (round == 0)
            {
                allocatedAfterWarmUp = coreAgentAllocatedBytes();
                commandsAfterWarmUp = counter.get();
            }
            else
            {
                perSecond.add(rate);
            }
        }
        System.out.printf("  (core link agent allocated %.3f bytes a command after the warm-up)%n",
            (coreAgentAllocatedBytes() - allocatedAfterWarmUp) / (double)Math.max(1, counter.get() - commandsAfterWarmUp));
        return perSecond;
    }

    /** Bytes allocated so far by the core's link agent thread (HotSpot's per-thread counter). */
    private static long coreAgentAllocatedBytes()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals("flashsale-link-core"))
            {
                return threads.getThreadAllocatedBytes(thread.getId());
            }
        }
        throw new IllegalStateException("no flashsale-link-core thread");
    }

    private static List<Double> preEncoded(final boolean reply, final int seconds, final int rounds) throws Exception
    {
        final CountingCore handler = new CountingCore(reply);
        try (LinkServer server = core(handler);
            MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 500_000))
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .aeronDirectoryName("/dev/shm/flashsale-link-bench-" + ProcessHandle.current().pid()));
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            Subscription inbound = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", LinkServer.CORE_TO_EDGE_STREAM);
            ExclusivePublication publication = aeron.addExclusivePublication(
                "aeron:udp?endpoint=" + server.endpoint() + "|term-length=4m|mtu=1408", LinkServer.EDGE_TO_CORE_STREAM))
        {
            final FragmentHandler drain = (buffer, offset, length, header) ->
            {
            };
            join(publication, inbound);

            final UnsafeBuffer frame = new UnsafeBuffer(new byte[publication.maxPayloadLength()]);
            final CommandCodec codec = new CommandCodec();
            final CommandEvent purchase = new CommandEvent();
            purchase.type = CommandType.PURCHASE;
            purchase.timestamp = System.currentTimeMillis();
            purchase.saleId = 1;
            purchase.qty = 1;
            int length = 0;
            int perFrame = 0;
            while (true)
            {
                purchase.userId = perFrame + 1;
                purchase.idempotencyKey = perFrame + 1;
                final int record = codec.encode(purchase, 0, CommandCodec.NO_RING_SEQUENCE);
                if (length + LinkWire.COMMAND_RECORD + record > frame.capacity())
                {
                    break;
                }
                length += LinkWire.command(frame, length, perFrame + 1, codec.array(), record);
                perFrame++;
            }
            final int frameLength = length;
            System.out.printf("  (%d purchases of %d bytes per %d-byte frame)%n", perFrame, frameLength / perFrame, frameLength);

            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread sender = new Thread(() ->
            {
                while (running.get())
                {
                    if (publication.offer(frame, 0, frameLength) < 0)
                    {
                        Thread.onSpinWait();
                    }
                    if (reply)
                    {
                        inbound.poll(drain, 64);
                    }
                }
            }, "pre-encoded-sender");
            sender.start();
            try
            {
                return measure(handler.commands, seconds, rounds);
            }
            finally
            {
                running.set(false);
                sender.join();
            }
        }
    }

    /** The edge's handshake by hand: HELLO, CHALLENGE, HELLO with the challenge, WELCOME. */
    private static void join(final ExclusivePublication publication, final Subscription inbound)
    {
        join(publication, inbound, SECRET, EDGE_ID);
    }

    private static void join(final ExclusivePublication publication, final Subscription inbound, final byte[] secret, final int edgeId)
    {
        final LinkAuth auth = new LinkAuth(secret);
        while (publication.isConnected() == false || inbound.localSocketAddresses().isEmpty())
        {
            LockSupport.parkNanos(1_000_000);
        }
        final String address = inbound.localSocketAddresses().get(0);
        final byte[] endpoint = address.getBytes(StandardCharsets.US_ASCII);
        final long nonce = auth.nonce();
        final long[] challenge = {0};
        final boolean[] welcomed = {false};
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[LinkWire.MAX_MESSAGE_LENGTH]);
        final FragmentHandler handshake = (message, offset, length, header) ->
        {
            for (int at = offset; at < offset + length; at += LinkWire.length(message, at))
            {
                if (LinkWire.type(message, at) == LinkWire.CHALLENGE)
                {
                    challenge[0] = message.getLong(at + 12, LinkWire.ORDER);
                }
                else if (LinkWire.type(message, at) == LinkWire.WELCOME)
                {
                    welcomed[0] = true;
                }
            }
        };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!welcomed[0])
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the bench sender could not join the core");
            }
            final long now = System.currentTimeMillis();
            final int length = LinkWire.hello(buffer, 0, edgeId, nonce, challenge[0], now,
                auth.helloMac(edgeId, nonce, challenge[0], now, endpoint), endpoint);
            publication.offer(buffer, 0, length);
            final long wait = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            while (System.nanoTime() - wait < 0 && !welcomed[0])
            {
                inbound.poll(handshake, 10);
            }
        }
    }

    /**
     * What a real core ({@code serve --edge-link}, another process) applies over the link: purchases
     * of {@code saleId} by distinct shoppers, each with its own Idempotency-Key, encoded into frames
     * before the clock starts (a pool of {@code pooled} purchases, each sent once: a repeat would
     * come back RESERVED as a duplicate and count twice), offered as fast as the publication takes
     * them. Each goes through the core's ring (journal, engine) and comes back as an OUTCOME; one
     * the ring had no room for comes back BUSY. The figure is RESERVED outcomes per second at the
     * sender over {@code seconds} after {@code warmupSeconds}, or until the pool ran out.
     *
     * @param secret the core's secret (the link's handshake)
     */
    public static CoreAbsorption againstCore(final String coreEndpoint, final byte[] secret, final long saleId, final int pooled,
        final int warmupSeconds, final int seconds) throws Exception
    {
        try (MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 500_000))
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .aeronDirectoryName("/dev/shm/flashsale-link-absorb-" + ProcessHandle.current().pid()));
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            Subscription inbound = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", LinkServer.CORE_TO_EDGE_STREAM);
            ExclusivePublication publication = aeron.addExclusivePublication(
                "aeron:udp?endpoint=" + coreEndpoint + "|term-length=4m|mtu=1408", LinkServer.EDGE_TO_CORE_STREAM))
        {
            final List<UnsafeBuffer> frames = new ArrayList<>();
            final List<Integer> lengths = new ArrayList<>();
            final CommandCodec codec = new CommandCodec();
            final CommandEvent purchase = new CommandEvent();
            purchase.type = CommandType.PURCHASE;
            purchase.timestamp = System.currentTimeMillis();
            purchase.saleId = saleId;
            purchase.qty = 1;
            final int capacity = publication.maxPayloadLength();
            UnsafeBuffer frame = new UnsafeBuffer(new byte[capacity]);
            int length = 0;
            for (int i = 1; i <= pooled; i++)
            {
                purchase.userId = i;
                purchase.idempotencyKey = i;
                final int record = codec.encode(purchase, 0, CommandCodec.NO_RING_SEQUENCE);
                if (length + LinkWire.COMMAND_RECORD + record > capacity)
                {
                    frames.add(frame);
                    lengths.add(length);
                    frame = new UnsafeBuffer(new byte[capacity]);
                    length = 0;
                }
                length += LinkWire.command(frame, length, i, codec.array(), record);
            }
            frames.add(frame);
            lengths.add(length);
            final int edgeId = 900_000 + (int)(ProcessHandle.current().pid() % 100_000);
            join(publication, inbound, secret, edgeId);

            final AtomicLong reserved = new AtomicLong();
            final AtomicLong otherOutcomes = new AtomicLong();
            final FragmentHandler outcomes = (buffer, offset, fragmentLength, header) ->
            {
                for (int at = offset; at < offset + fragmentLength; at += LinkWire.length(buffer, at))
                {
                    if (LinkWire.type(buffer, at) == LinkWire.OUTCOME)
                    {
                        if (buffer.getByte(at + 48) == Outcome.RESERVED.code())
                        {
                            reserved.lazySet(reserved.get() + 1);
                        }
                        else
                        {
                            otherOutcomes.lazySet(otherOutcomes.get() + 1);
                        }
                    }
                }
            };
            final AtomicBoolean running = new AtomicBoolean(true);
            final AtomicBoolean exhausted = new AtomicBoolean();
            final Thread sender = new Thread(() ->
            {
                int next = 0;
                while (running.get())
                {
                    if (next < frames.size() && publication.offer(frames.get(next), 0, lengths.get(next)) > 0 && ++next == frames.size())
                    {
                        exhausted.set(true);
                    }
                    inbound.poll(outcomes, 256);
                }
            }, "absorption-sender");
            sender.start();
            try
            {
                Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
                final long before = reserved.get();
                final long othersBefore = otherOutcomes.get();
                final long start = System.nanoTime();
                final long end = start + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() < end && !exhausted.get())
                {
                    Thread.sleep(10);
                }
                final double elapsed = (System.nanoTime() - start) / 1e9;
                return new CoreAbsorption((reserved.get() - before) / elapsed, (otherOutcomes.get() - othersBefore) / elapsed, elapsed,
                    exhausted.get(), frames.size(), pooled);
            }
            finally
            {
                running.set(false);
                sender.join();
            }
        }
    }

    /** RESERVED outcomes per second, other outcomes (BUSY) per second, over how many seconds, whether the pool ran out first. */
    public record CoreAbsorption(double reservedPerSecond, double otherPerSecond, double seconds, boolean poolRanOut, int frames, int purchases)
    {
    }

    private static List<Double> throughClient(final int seconds, final int rounds) throws Exception
    {
        final CountingCore handler = new CountingCore(true);
        final AtomicLong outcomes = new AtomicLong();
        final OutcomeListener listener = new OutcomeListener()
        {
            @Override
            public void onOutcome(final long correlationId, final CommandEvent result)
            {
                outcomes.lazySet(outcomes.get() + 1);
            }

            @Override
            public void onOutcomeUnknown(final long correlationId)
            {
            }
        };
        try (LinkServer server = core(handler);
            LinkClient client = LinkClient.launch(new LinkClient.Config()
                .core(server.endpoint())
                .endpoint(new LinkEndpoint("127.0.0.1", 0))
                .edgeId(EDGE_ID)
                .secret(SECRET)
                .silenceIntervals(40), listener))
        {
            while (!client.isCoreAvailable())
            {
                LockSupport.parkNanos(1_000_000);
            }
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread sender = new Thread(() ->
            {
                final CommandEvent purchase = new CommandEvent();
                purchase.type = CommandType.PURCHASE;
                purchase.timestamp = System.currentTimeMillis();
                purchase.saleId = 1;
                purchase.qty = 1;
                long user = 0;
                while (running.get())
                {
                    purchase.userId = ++user;
                    purchase.idempotencyKey = user;
                    if (client.sendCommand(purchase) < 0)
                    {
                        LockSupport.parkNanos(10_000);
                    }
                }
            }, "link-client-sender");
            sender.start();
            try
            {
                final List<Double> perSecond = measure(handler.commands, seconds, rounds);
                System.out.printf("  (outcomes back at the edge: %d, unknown: %d, link losses: %d)%n",
                    outcomes.get(), client.outcomesUnknown(), client.linkLosses());
                return perSecond;
            }
            finally
            {
                running.set(false);
                sender.join();
            }
        }
    }
}
