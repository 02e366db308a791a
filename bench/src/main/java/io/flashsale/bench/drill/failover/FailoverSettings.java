package io.flashsale.bench.drill.failover;

import io.flashsale.bench.drill.JavaOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * How a failover drill runs: the replication mode, the purchase load (client threads, each buying
 * for a new shopper after every answer) and its window, within which the primary is killed at a
 * moment drawn from {@code seed}, whether the old primary is restarted as the new one's standby,
 * the servers' JVM options and the drill's folder. Made by {@link #builder()}, which holds the
 * defaults and is also {@code flashsale drill failover}'s options.
 */
public record FailoverSettings(
    String mode,
    int clients,
    long loadMillis,
    long seed,
    boolean rejoin,
    boolean autoPromote,
    long failoverAfterMillis,
    List<String> jvmOptions,
    Path folder,
    int edges)
{
    public FailoverSettings
    {
        if (!"sync".equals(mode) && !"async".equals(mode))
        {
            throw new IllegalArgumentException("--replication must be sync or async, was " + mode);
        }
        if (clients < 1 || clients > 256)
        {
            throw new IllegalArgumentException("--clients must be between 1 and 256, was " + clients);
        }
        if (edges < 0 || edges > 8)
        {
            throw new IllegalArgumentException("--edges must be between 0 and 8, was " + edges);
        }
        if (loadMillis < 500 || loadMillis > 600_000)
        {
            throw new IllegalArgumentException("--load-seconds must be between 0.5 and 600, was " + loadMillis / 1000.0);
        }
        if (failoverAfterMillis < 200 || failoverAfterMillis > 600_000)
        {
            throw new IllegalArgumentException("--failover-after-millis must be between 200 and 600000, was " + failoverAfterMillis);
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    String describe()
    {
        return String.format("replication %s, %d purchase clients, kill -9 within %.1f s of load (seed %d), %s%s", mode, clients,
            loadMillis / 1000.0, seed, autoPromote ? "automatic promotion after " + failoverAfterMillis + " ms of silence" : "promoted by hand at once",
            rejoin ? ", old primary rejoins" : "") +
            (edges > 0 ? String.format(", through %d edge(s) given both cores", edges) : "");
    }

    /** The failover drill's settings by name, from the defaults; the fields are the command's options ({@code @Mixin}). Main thread. */
    public static final class Builder
    {
        @Option(names = "--replication", description = "sync or async (default ${DEFAULT-VALUE})")
        private String mode = "sync";

        @Option(names = "--clients", description = "purchase clients, each waiting for its answer (default ${DEFAULT-VALUE})")
        private int clients = 8;

        @Option(names = "--load-seconds", description = "the load window; the kill falls in it at random, after the first acknowledged order (default ${DEFAULT-VALUE})")
        private double loadSeconds = 5;

        @Option(names = "--seed", description = "draws the moment of the kill (default: the clock)")
        private long seed = System.nanoTime();

        @Option(names = "--no-rejoin", description = "leave the old primary dead (default: restart it as the new primary's standby)")
        private boolean noRejoin;

        @Option(names = "--auto-promote", description = "the standby promotes itself (replication.failoverAfterMillis); the drill does not call promote")
        private boolean autoPromote;

        @Option(names = "--failover-after-millis", description = "with --auto-promote: the standby's replication.failoverAfterMillis, also both nodes' " +
            "peerTimeoutMillis when below 1000 (default ${DEFAULT-VALUE})")
        private long failoverAfterMillis = 500;

        @Option(names = "--server-java-opts", description = "JVM options of each server, space separated (default ${DEFAULT-VALUE})")
        private String serverJavaOptions = "-Xmx256m";

        @Option(names = "--edges", description = "edges given both cores (edge --core PRIMARY --core STANDBY); the load goes through " +
            "the first, and every one must follow the promoted standby (default ${DEFAULT-VALUE}: the load goes to the primary)")
        private int edges;

        private Path folder;

        private Builder()
        {
        }

        public Builder mode(final String mode)
        {
            this.mode = mode;
            return this;
        }

        public Builder clients(final int clients)
        {
            this.clients = clients;
            return this;
        }

        public Builder loadSeconds(final double seconds)
        {
            this.loadSeconds = seconds;
            return this;
        }

        public Builder seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        public Builder rejoin(final boolean rejoin)
        {
            this.noRejoin = !rejoin;
            return this;
        }

        public Builder autoPromote(final boolean autoPromote)
        {
            this.autoPromote = autoPromote;
            return this;
        }

        public Builder failoverAfterMillis(final long millis)
        {
            this.failoverAfterMillis = millis;
            return this;
        }

        /** Each server's JVM options, space separated. */
        public Builder serverJavaOptions(final String options)
        {
            this.serverJavaOptions = options;
            return this;
        }

        public Builder edges(final int edges)
        {
            this.edges = edges;
            return this;
        }

        public Builder folder(final Path folder)
        {
            this.folder = folder;
            return this;
        }

        public FailoverSettings build()
        {
            return new FailoverSettings(mode == null ? null : mode.toLowerCase(java.util.Locale.ROOT), clients, Math.round(loadSeconds * 1000),
                seed, !noRejoin, autoPromote, failoverAfterMillis, JavaOptions.split(serverJavaOptions), folder, edges);
        }
    }
}
