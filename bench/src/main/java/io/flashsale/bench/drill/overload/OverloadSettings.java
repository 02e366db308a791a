package io.flashsale.bench.drill.overload;

import io.flashsale.bench.drill.JavaOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * How an overload drill runs: the multiple of the measured capacity offered, for how long, over how
 * many connections; how capacity is measured; the contested sale (stock, or 0 for a tenth of a second of
 * capacity; what shoppers do after reserving); the verdict thresholds; the server's JVM options;
 * and the drill's folder. Made by {@link #builder()}, which holds the defaults and is also
 * {@code flashsale drill overload}'s options.
 *
 * @param maxP99Millis         every purchase must be answered within this at the 99th percentile
 * @param maxAdmittedP99Millis purchases the engine reserved, at the 99th percentile
 * @param serverCpus           CPUs the server runs on (taskset list), or blank for any
 * @param generatorCpus        CPUs the generator (this JVM) runs on, or blank for any
 */
public record OverloadSettings(
    double multiple,
    int seconds,
    int connections,
    int threads,
    int warmupSeconds,
    int measureSeconds,
    int shoppers,
    long stock,
    double pay,
    double cancel,
    int paymentWindowSeconds,
    double maxP99Millis,
    double maxAdmittedP99Millis,
    int ioThreads,
    String serverCpus,
    String generatorCpus,
    long seed,
    List<String> jvmOptions,
    Path folder)
{
    public OverloadSettings
    {
        if (!(multiple >= 1 && multiple <= 100))
        {
            throw new IllegalArgumentException("--multiple must be between 1 and 100, was " + multiple);
        }
        if (seconds < 1 || seconds > 3600 || measureSeconds < 1 || measureSeconds > 600 || warmupSeconds < 0)
        {
            throw new IllegalArgumentException("--seconds must be 1..3600 and --measure-seconds 1..600");
        }
        if (pay < 0 || cancel < 0 || pay + cancel > 1)
        {
            throw new IllegalArgumentException("--pay and --cancel are shares that add up to at most 1");
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    String describe()
    {
        return String.format("%.2f x capacity for %d s over %d connections; capacity measured closed loop for %d s after %d s of warm-up; "
                + "%,d shoppers; after reserving %.0f%% pay, %.0f%% cancel, the rest walk away (window %d s); CPUs: server %s, generator %s",
            multiple, seconds, connections, measureSeconds, warmupSeconds, shoppers, pay * 100, cancel * 100, paymentWindowSeconds,
            serverCpus == null || serverCpus.isBlank() ? "any" : serverCpus, generatorCpus == null || generatorCpus.isBlank() ? "any" : generatorCpus);
    }

    /**
     * The overload drill's settings by name, starting from the defaults; the fields are the
     * command's options too ({@code @Mixin}). Main thread.
     */
    public static final class Builder
    {
        @Option(names = "--multiple", description = "offered load as a multiple of the measured capacity (default ${DEFAULT-VALUE})")
        private double multiple = 3;

        @Option(names = "--seconds", description = "how long the overload lasts (default ${DEFAULT-VALUE})")
        private int seconds = 60;

        @Option(names = "--connections", description = "HTTP connections of the overload (default ${DEFAULT-VALUE})")
        private int connections = 256;

        @Option(names = "--threads", description = "generator event-loop threads (default ${DEFAULT-VALUE})")
        private int threads = 1;

        @Option(names = "--warmup-seconds", description = "closed-loop warm-up before capacity is measured (default ${DEFAULT-VALUE})")
        private int warmupSeconds = 5;

        @Option(names = "--measure-seconds", description = "closed-loop capacity measurement (default ${DEFAULT-VALUE})")
        private int measureSeconds = 10;

        @Option(names = "--shoppers", description = "distinct shoppers, cycled (default ${DEFAULT-VALUE})")
        private int shoppers = 50_000;

        @Option(names = "--stock", description = "units of the flash sale; 0: a tenth of a second of capacity (default ${DEFAULT-VALUE})")
        private long stock;

        @Option(names = "--pay", description = "share of reservations paid (default ${DEFAULT-VALUE})")
        private double pay = 0.1;

        @Option(names = "--cancel", description = "share cancelled; the rest walk away (default ${DEFAULT-VALUE})")
        private double cancel = 0.4;

        @Option(names = "--payment-window", description = "payment window of the flash sale, seconds (default ${DEFAULT-VALUE})")
        private int paymentWindowSeconds = 3;

        @Option(names = "--max-p99-ms", description = "verdict: p99 of every purchase answer (default ${DEFAULT-VALUE})")
        private double maxP99Millis = 1_000;

        @Option(names = "--max-admitted-p99-ms", description = "verdict: p99 of reserved purchases (default ${DEFAULT-VALUE})")
        private double maxAdmittedP99Millis = 1_000;

        @Option(names = "--server-io-threads", description = "Undertow IO threads (0: one per core) (default ${DEFAULT-VALUE})")
        private int ioThreads;

        @Option(names = "--server-cpus", description = "CPUs the server runs on, a taskset list such as 1 or 2-3 (default: any)")
        private String serverCpus = "";

        @Option(names = "--generator-cpus", description = "CPUs the generator runs on, such as 0 (default: any); "
            + "on a small machine split them, or the two compete and the load is never offered")
        private String generatorCpus = "";

        @Option(names = "--seed", description = "seed of the shoppers' choices (default ${DEFAULT-VALUE})")
        private long seed = 1;

        @Option(names = "--server-java-opts", description = "JVM options of the server, space separated; a heap resident from the start, "
            + "so growth means a leak (default ${DEFAULT-VALUE})")
        private String serverJavaOptions = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch";

        private Path folder;

        private Builder()
        {
        }

        public Builder multiple(final double multiple)
        {
            this.multiple = multiple;
            return this;
        }

        public Builder seconds(final int seconds)
        {
            this.seconds = seconds;
            return this;
        }

        public Builder connections(final int connections)
        {
            this.connections = connections;
            return this;
        }

        public Builder threads(final int threads)
        {
            this.threads = threads;
            return this;
        }

        /** Closed-loop warm-up, then closed-loop capacity measurement, before the overload. */
        public Builder capacitySeconds(final int warmupSeconds, final int measureSeconds)
        {
            this.warmupSeconds = warmupSeconds;
            this.measureSeconds = measureSeconds;
            return this;
        }

        public Builder shoppers(final int shoppers)
        {
            this.shoppers = shoppers;
            return this;
        }

        public Builder stock(final long stock)
        {
            this.stock = stock;
            return this;
        }

        /** Shares of reservations paid and cancelled; the rest walk away and expire after the window. */
        public Builder afterReserving(final double pay, final double cancel, final int paymentWindowSeconds)
        {
            this.pay = pay;
            this.cancel = cancel;
            this.paymentWindowSeconds = paymentWindowSeconds;
            return this;
        }

        /** The verdict's bounds: p99 of every purchase answer, and of the reserved ones. */
        public Builder maxP99Millis(final double everyPurchase, final double admitted)
        {
            this.maxP99Millis = everyPurchase;
            this.maxAdmittedP99Millis = admitted;
            return this;
        }

        public Builder ioThreads(final int ioThreads)
        {
            this.ioThreads = ioThreads;
            return this;
        }

        /** taskset lists for the server and the generator, or blank for any. */
        public Builder cpus(final String server, final String generator)
        {
            this.serverCpus = server;
            this.generatorCpus = generator;
            return this;
        }

        public Builder seed(final long seed)
        {
            this.seed = seed;
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

        public OverloadSettings build()
        {
            return new OverloadSettings(multiple, seconds, connections, threads, warmupSeconds, measureSeconds, shoppers, stock, pay,
                cancel, paymentWindowSeconds, maxP99Millis, maxAdmittedP99Millis, ioThreads, serverCpus, generatorCpus, seed,
                JavaOptions.split(serverJavaOptions), folder);
        }
    }
}
