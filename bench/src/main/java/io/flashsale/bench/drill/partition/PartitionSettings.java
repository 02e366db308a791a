package io.flashsale.bench.drill.partition;

import io.flashsale.bench.drill.JavaOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * How a partition drill runs: the purchase clients, how long each stretch of load lasts (link
 * whole, impaired by netem, cut, after the promotion), the netem delay and loss shown first (or
 * none), the servers' JVM options and the drill's folder. Made by {@link #builder()}, which holds
 * the defaults and is also {@code flashsale drill partition}'s options.
 */
public record PartitionSettings(
    int clients,
    long wholeMillis,
    long impairedMillis,
    int delayMillis,
    double lossPercent,
    long cutMillis,
    long promotedMillis,
    List<String> jvmOptions,
    Path folder)
{
    public PartitionSettings
    {
        if (clients < 1 || clients > 64)
        {
            throw new IllegalArgumentException("--clients must be between 1 and 64, was " + clients);
        }
        for (final long stretch : new long[] {wholeMillis, cutMillis, promotedMillis})
        {
            if (stretch < 200 || stretch > 600_000)
            {
                throw new IllegalArgumentException("each load stretch must be between 0.2 and 600 s, was " + stretch / 1000.0);
            }
        }
        if (impairedMillis < 0 || impairedMillis > 600_000)
        {
            throw new IllegalArgumentException("--impaired-seconds must be between 0 (none) and 600, was " + impairedMillis / 1000.0);
        }
        if (delayMillis < 0 || delayMillis > 1_000 || lossPercent < 0 || lossPercent > 50)
        {
            throw new IllegalArgumentException("--netem-delay-ms must be 0..1000 and --netem-loss-percent 0..50");
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    String describe()
    {
        return String.format("sync, stall; %d purchase clients; load %.1f s whole%s, %.1f s cut after the stall is seen, %.1f s on the promoted standby",
            clients, wholeMillis / 1000.0, impairedMillis == 0 ? "" : String.format(", %.1f s impaired (netem delay %dms loss %s%%; a rate limit where the kernel has no netem)", impairedMillis / 1000.0,
                delayMillis, lossPercent), cutMillis / 1000.0, promotedMillis / 1000.0);
    }

    /** The partition drill's settings by name, from the defaults; the fields are the command's options ({@code @Mixin}). Main thread. */
    public static final class Builder
    {
        @Option(names = "--clients", description = "purchase clients, each waiting for its answer (default ${DEFAULT-VALUE})")
        private int clients = 6;

        @Option(names = "--whole-seconds", description = "load while the replication path is whole (default ${DEFAULT-VALUE})")
        private double wholeSeconds = 2;

        @Option(names = "--impaired-seconds", description = "then load under netem delay and loss (a 1 Mbit/s tbf rate limit where the kernel has no netem); 0: none (default ${DEFAULT-VALUE})")
        private double impairedSeconds = 2;

        @Option(names = "--netem-delay-ms", description = "the impairment's delay, each way (default ${DEFAULT-VALUE})")
        private int delayMillis = 5;

        @Option(names = "--netem-loss-percent", description = "the impairment's loss, each way (default ${DEFAULT-VALUE})")
        private double lossPercent = 1;

        @Option(names = "--cut-seconds", description = "load on the cut-off primary once it says it stalled (default ${DEFAULT-VALUE})")
        private double cutSeconds = 2;

        @Option(names = "--promoted-seconds", description = "load on the promoted standby (default ${DEFAULT-VALUE})")
        private double promotedSeconds = 2;

        @Option(names = "--server-java-opts", description = "JVM options of each server, space separated (default ${DEFAULT-VALUE})")
        private String serverJavaOptions = "-Xmx256m";

        private Path folder;

        private Builder()
        {
        }

        public Builder clients(final int clients)
        {
            this.clients = clients;
            return this;
        }

        /** Each stretch of load: whole, impaired, cut and promoted. */
        public Builder stretchSeconds(final double seconds)
        {
            this.wholeSeconds = seconds;
            this.impairedSeconds = seconds;
            this.cutSeconds = seconds;
            this.promotedSeconds = seconds;
            return this;
        }

        public Builder impairedSeconds(final double seconds)
        {
            this.impairedSeconds = seconds;
            return this;
        }

        /** Each server's JVM options, space separated. */
        public Builder serverJavaOptions(final String options)
        {
            this.serverJavaOptions = options;
            return this;
        }

        public Builder folder(final Path folder)
        {
            this.folder = folder;
            return this;
        }

        public PartitionSettings build()
        {
            return new PartitionSettings(clients, Math.round(wholeSeconds * 1000), Math.round(impairedSeconds * 1000), delayMillis, lossPercent,
                Math.round(cutSeconds * 1000), Math.round(promotedSeconds * 1000), JavaOptions.split(serverJavaOptions), folder);
        }
    }
}
