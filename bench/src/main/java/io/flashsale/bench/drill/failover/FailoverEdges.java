package io.flashsale.bench.drill.failover;

import io.flashsale.bench.drill.DrillHttp;
import io.flashsale.bench.system.ServerProcess;
import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The failover drill's edges ({@code --edges N}): N {@code flashsale edge} child JVMs, each given
 * both cores' edge links ({@code --core PRIMARY --core STANDBY}), so the drill's load goes through
 * an edge and the kill-to-first-purchase figure includes the edge finding the new primary by
 * itself. Main thread.
 */
final class FailoverEdges implements AutoCloseable
{
    private final List<ServerProcess> edges = new ArrayList<>();

    private FailoverEdges()
    {
    }

    /** None: the drill buys from the primary directly. */
    static FailoverEdges none()
    {
        return new FailoverEdges();
    }

    /** Starts {@code count} edges given {@code cores} and waits until each hears a primary. */
    static FailoverEdges start(final int count, final List<String> cores, final byte[] secret, final List<String> jvmOptions,
        final Path folder, final Duration patience) throws IOException, InterruptedException
    {
        final FailoverEdges started = new FailoverEdges();
        try
        {
            for (int i = 0; i < count; i++)
            {
                final ServerConfig config = new ServerConfig();
                config.server.ioThreads = 2;
                config.limits.enabled = false;
                config.edge.core = new ArrayList<>(cores);
                started.edges.add(ServerProcess.launchEdge(config, secret, jvmOptions, folder, "edge-" + (i + 1)));
            }
            for (final ServerProcess edge : started.edges)
            {
                final ServerProcess.Start start = edge.awaitReady(patience);
                if (!start.ready())
                {
                    throw new IllegalStateException("an edge did not start (exit " + start.exitCode() + "); its log ends:\n" + start.logTail());
                }
            }
            return started;
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            started.close();
            throw ex;
        }
    }

    boolean any()
    {
        return !edges.isEmpty();
    }

    int count()
    {
        return edges.size();
    }

    /** Where the load goes: the first edge, or {@code otherwise} without edges. */
    String loadBase(final String otherwise)
    {
        return edges.isEmpty() ? otherwise : edges.get(0).base();
    }

    DrillHttp http(final int edge)
    {
        return new DrillHttp(edges.get(edge).base());
    }

    @Override
    public void close()
    {
        for (final ServerProcess edge : edges)
        {
            edge.close();
        }
    }
}
