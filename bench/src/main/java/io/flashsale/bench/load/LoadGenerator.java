package io.flashsale.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.ResourceLeakDetector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * The HTTP load generator: Netty event loops (epoll where available, for sub-millisecond timers),
 * each driving its share of the connections and arrivals with its own {@link Workload}, measuring
 * latency from intended send times into HdrHistograms. One call is one bounded run.
 *
 * <p>{@link #run} blocks the calling thread until the run is over; it may be called again.
 */
public final class LoadGenerator
{
    /** Extra time, beyond the run's own bounds, before a loop that never finished is given up on. */
    private static final long SAFETY_MILLIS = 5_000;

    static
    {
        // Netty's default leak detector records a stack trace for one buffer in 128: a few per cent
        // of the loop's time in a flood, spent measuring ourselves. Still on when asked for explicitly.
        if (System.getProperty("io.netty.leakDetection.level") == null)
        {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private LoadGenerator()
    {
    }

    /** Which socket transport the generator uses on this machine. */
    public static String transport()
    {
        return Epoll.isAvailable() ? "epoll" : "nio";
    }

    /**
     * Runs the load and returns the merged stats.
     *
     * @param workloads makes the workload of loop {@code i} (0-based); called once per loop
     * @throws IllegalStateException when the connections cannot be opened
     */
    public static LoadStats run(final LoadSettings settings, final IntFunction<Workload> workloads) throws InterruptedException
    {
        return run(settings, workloads, 0);
    }

    /**
     * Runs the load with its start instant at {@code startNanos} ({@link System#nanoTime()}), or as
     * soon as the connections are open if that is later (0: as soon as they are open).
     */
    public static LoadStats run(final LoadSettings settings, final IntFunction<Workload> workloads, final long startNanos)
        throws InterruptedException
    {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends SocketChannel> channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.threads(), new DefaultThreadFactory("load"), io);
        try
        {
            final Bootstrap bootstrap = new Bootstrap()
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
            final List<LoadLoop> loops = new ArrayList<>();
            for (int i = 0; i < settings.threads(); i++)
            {
                final EventLoop eventLoop = (EventLoop)group.next();
                loops.add(new LoadLoop(eventLoop, bootstrap.clone().group(eventLoop), settings, workloads.apply(i), i, settings.threads()));
            }
            final List<CompletableFuture<Void>> connecting = loops.stream().map(LoadLoop::connect).toList();
            try
            {
                CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                throw new IllegalStateException("cannot open " + settings.connections() + " connections to "
                    + settings.host() + ":" + settings.port() + ": " + (ex.getCause() != null ? ex.getCause() : ex), ex);
            }
            // Every loop starts at the same instant, a little ahead so none starts late.
            final long start = Math.max(startNanos, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));
            final List<CompletableFuture<LoadStats>> runs = loops.stream().map(loop -> loop.start(start)).toList();
            final long boundMillis = settings.duration().toMillis() + settings.grace().toMillis()
                + settings.timeout().toMillis() + SAFETY_MILLIS;
            final LoadStats merged = new LoadStats();
            for (final CompletableFuture<LoadStats> run : runs)
            {
                try
                {
                    final long left = Math.max(1, boundMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    merged.add(run.get(left, TimeUnit.MILLISECONDS));
                }
                catch (final ExecutionException | TimeoutException ex)
                {
                    throw new IllegalStateException("a load loop did not finish within its bounds: " + ex, ex);
                }
            }
            return merged;
        }
        finally
        {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }
}
