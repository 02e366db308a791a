package io.flashsale.bench.drill.crash;

import io.flashsale.bench.drill.JavaOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How a crash drill runs: cycles, the journal sync policy of the killed servers ({@code ASYNC},
 * {@code BATCH}, or {@code BOTH}: odd cycles ASYNC, even cycles BATCH), the load (shoppers, rate,
 * connections), when the kill may come, the limited sale's stock, how often the server snapshots,
 * the seed of every random choice, the edges (0: the single-process server; N: a core, N edges
 * and nginx, the core killed), extra JVM options of the servers, and the drill's folder.
 * Made by {@link #builder()}, which holds the defaults and is also {@code flashsale drill crash}'s
 * options.
 *
 * @param loadMillis    the kill comes at a random moment between {@code minKillMillis} and this, after the load starts
 * @param snapshotEvery the server snapshots after this many journaled commands (recovery = snapshot + replay)
 */
public record CrashSettings(
    int cycles,
    String syncPolicy,
    int shoppers,
    double rate,
    int connections,
    long minKillMillis,
    long loadMillis,
    long limitedStock,
    long snapshotEvery,
    int ioThreads,
    long seed,
    int edges,
    List<String> jvmOptions,
    Path folder)
{
    public CrashSettings
    {
        syncPolicy = syncPolicy.toUpperCase(Locale.ROOT);
        if (!List.of("ASYNC", "BATCH", "BOTH").contains(syncPolicy))
        {
            throw new IllegalArgumentException("--sync must be ASYNC, BATCH or BOTH, was " + syncPolicy);
        }
        if (cycles < 1 || cycles > 10_000)
        {
            throw new IllegalArgumentException("--cycles must be between 1 and 10000, was " + cycles);
        }
        if (shoppers < 1 || shoppers > 1_000_000)
        {
            throw new IllegalArgumentException("--shoppers must be between 1 and 1000000, was " + shoppers);
        }
        if (edges < 0 || edges > 8)
        {
            throw new IllegalArgumentException("--edges must be between 0 and 8, was " + edges);
        }
        if (minKillMillis < 0 || loadMillis <= minKillMillis || loadMillis > 600_000)
        {
            throw new IllegalArgumentException("the kill window must lie within 0 < --load-seconds <= 600, was "
                + minKillMillis + ".." + loadMillis + " ms");
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** The sync policy of the server killed in {@code cycle} (from 1). */
    public String sync(final int cycle)
    {
        return syncPolicy.equals("BOTH") ? (cycle % 2 == 1 ? "ASYNC" : "BATCH") : syncPolicy;
    }

    String syncLabel()
    {
        return syncPolicy.equals("BOTH") ? "ASYNC and BATCH in turn" : syncPolicy;
    }

    String describe()
    {
        return (edges == 0 ? "" : String.format("core + %d edges behind nginx, the core killed; ", edges))
            + String.format("%d cycles, sync %s, %,d shoppers, open loop at %,.0f req/s over %d connections, kill %d-%d ms into the load, "
            + "limited stock %,d, snapshot every %,d commands, seed %d", cycles, syncLabel(), shoppers, rate, connections,
            minKillMillis, loadMillis, limitedStock, snapshotEvery, seed);
    }

    /**
     * The crash drill's settings by name, starting from the defaults; the fields are the command's
     * options too ({@code @Mixin}). Main thread.
     */
    public static final class Builder
    {
        @Option(names = "--cycles", description = "load-kill-restart cycles (default ${DEFAULT-VALUE})")
        private int cycles = 4;

        @Option(names = "--sync", description = "journal sync of the killed servers: async, batch, or both in turn (default ${DEFAULT-VALUE})")
        private String sync = "both";

        @Option(names = "--shoppers", description = "distinct shoppers (default ${DEFAULT-VALUE})")
        private int shoppers = 2_000;

        @Option(names = "--rate", description = "arrivals per second, open loop (default ${DEFAULT-VALUE})")
        private double rate = 1_000;

        @Option(names = "--connections", description = "HTTP connections (default ${DEFAULT-VALUE})")
        private int connections = 32;

        @Option(names = "--load-seconds", description = "the kill comes at a random moment within this many seconds of load (default ${DEFAULT-VALUE})")
        private double loadSeconds = 4;

        /** The kill never comes earlier into the load than this. */
        private long minKillMillis = 300;

        @Option(names = "--limited-stock", description = "units of the sale the crowd sells out (default ${DEFAULT-VALUE})")
        private long limitedStock = 300;

        @Option(names = "--snapshot-every", description = "server snapshots every N journaled commands (default ${DEFAULT-VALUE})")
        private long snapshotEvery = 2_000;

        @Option(names = "--server-io-threads", description = "Undertow IO threads (0: one per core) (default ${DEFAULT-VALUE})")
        private int ioThreads;

        @Option(names = "--seed", description = "seed of the kill moments and the crowd's choices (default ${DEFAULT-VALUE})")
        private long seed = 1;

        @Option(names = "--edges", description = "0: the single-process server; N: a core, N edge processes and nginx in front, "
            + "the load through nginx, the core killed (default ${DEFAULT-VALUE})")
        private int edges;

        @Option(names = "--server-java-opts", description = "JVM options of the server, space separated (default ${DEFAULT-VALUE})")
        private String serverJavaOptions = "-Xmx1g";

        private Path folder;

        private Builder()
        {
        }

        public Builder cycles(final int cycles)
        {
            this.cycles = cycles;
            return this;
        }

        /** ASYNC, BATCH or BOTH (in turn), in any case. */
        public Builder sync(final String sync)
        {
            this.sync = sync;
            return this;
        }

        public Builder shoppers(final int shoppers)
        {
            this.shoppers = shoppers;
            return this;
        }

        public Builder rate(final double rate)
        {
            this.rate = rate;
            return this;
        }

        public Builder connections(final int connections)
        {
            this.connections = connections;
            return this;
        }

        /** The kill comes at a random moment between these two, from the start of the load. */
        public Builder killWindowMillis(final long earliest, final long latest)
        {
            this.minKillMillis = earliest;
            this.loadSeconds = latest / 1000.0;
            return this;
        }

        public Builder limitedStock(final long limitedStock)
        {
            this.limitedStock = limitedStock;
            return this;
        }

        public Builder snapshotEvery(final long snapshotEvery)
        {
            this.snapshotEvery = snapshotEvery;
            return this;
        }

        public Builder ioThreads(final int ioThreads)
        {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        public Builder edges(final int edges)
        {
            this.edges = edges;
            return this;
        }

        /** The server's JVM options, space separated. */
        public Builder serverJavaOptions(final String serverJavaOptions)
        {
            this.serverJavaOptions = serverJavaOptions;
            return this;
        }

        public Builder folder(final Path folder)
        {
            this.folder = folder;
            return this;
        }

        public CrashSettings build()
        {
            return new CrashSettings(cycles, sync, shoppers, rate, connections, minKillMillis,
                Math.max(minKillMillis + 100, Math.round(loadSeconds * 1000)), limitedStock, snapshotEvery, ioThreads, seed, edges,
                JavaOptions.split(serverJavaOptions), folder);
        }
    }
}
