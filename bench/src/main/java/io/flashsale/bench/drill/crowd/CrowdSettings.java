package io.flashsale.bench.drill.crowd;

import io.flashsale.bench.drill.JavaOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * How a crowd drill runs: how many distinct shoppers, the share of them who can buy (the sale's
 * stock), the connections that carry them, the server's idle expiry of rate-limit state and its
 * token cache size, the memory budget the drill holds the server to, a bound on the run's
 * duration, the server's JVM options and the drill's folder. Made by {@link #builder()}, which
 * holds the defaults and is also {@code flashsale drill crowd}'s options.
 *
 * @param shopperBudgetBytes bytes a shopper active within the idle expiry may cost (rate-limit state)
 * @param tokenBudgetBytes   bytes a cached token may cost (at most {@code tokenCacheSize} of them)
 * @param buyerBudgetBytes   bytes a buyer may cost for the sale's life (order, engine slot, idempotent reply)
 */
public record CrowdSettings(
    int shoppers,
    double buyerShare,
    int connections,
    int expirySeconds,
    int tokenCacheSize,
    long shopperBudgetBytes,
    long tokenBudgetBytes,
    long buyerBudgetBytes,
    int maxSeconds,
    int ioThreads,
    List<String> jvmOptions,
    Path folder)
{
    public CrowdSettings
    {
        if (shoppers < 1_000 || shoppers > 10_000_000)
        {
            throw new IllegalArgumentException("--shoppers must be between 1000 and 10000000, was " + shoppers);
        }
        if (!(buyerShare > 0 && buyerShare <= 1))
        {
            throw new IllegalArgumentException("--buyers must be a share in (0, 1], was " + buyerShare);
        }
        if (expirySeconds < 1 || maxSeconds < 10 || maxSeconds > 3600)
        {
            throw new IllegalArgumentException("--expiry-seconds must be at least 1 and --max-seconds 10..3600");
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    long stock()
    {
        return Math.max(1, Math.round(shoppers * buyerShare));
    }

    String describe()
    {
        return String.format("%,d distinct shoppers (key, purchase with Idempotency-Key, a double click for buyers), %,d units, "
            + "%d connections closed loop; server: idle expiry %d s, token cache %,d; budget %d B per active shopper, "
            + "%d B per cached token, %d B per buyer", shoppers, stock(), connections, expirySeconds, tokenCacheSize,
            shopperBudgetBytes, tokenBudgetBytes, buyerBudgetBytes);
    }

    /**
     * The crowd drill's settings by name, starting from the defaults; the fields are the command's
     * options too ({@code @Mixin}). Main thread.
     */
    public static final class Builder
    {
        @Option(names = "--shoppers", description = "distinct shoppers (default ${DEFAULT-VALUE})")
        private int shoppers = 1_000_000;

        @Option(names = "--buyers", description = "share of the crowd the stock serves (default ${DEFAULT-VALUE})")
        private double buyerShare = 0.1;

        @Option(names = "--connections", description = "HTTP connections, closed loop (default ${DEFAULT-VALUE})")
        private int connections = 64;

        @Option(names = "--expiry-seconds", description = "the server's limits.idleExpirySeconds (default ${DEFAULT-VALUE})")
        private int expirySeconds = 30;

        @Option(names = "--token-cache", description = "the server's auth.tokenCacheSize (default ${DEFAULT-VALUE})")
        private int tokenCacheSize = 100_000;

        @Option(names = "--shopper-budget", description = "bytes per active shopper (default ${DEFAULT-VALUE})")
        private long shopperBudgetBytes = 512;

        @Option(names = "--token-budget", description = "bytes per cached token (default ${DEFAULT-VALUE})")
        private long tokenBudgetBytes = 512;

        @Option(names = "--buyer-budget", description = "bytes per buyer (default ${DEFAULT-VALUE})")
        private long buyerBudgetBytes = 1_024;

        @Option(names = "--max-seconds", description = "bound on the crowd's duration (default ${DEFAULT-VALUE})")
        private int maxSeconds = 1_800;

        @Option(names = "--server-io-threads", description = "Undertow IO threads (0: one per core) (default ${DEFAULT-VALUE})")
        private int ioThreads;

        @Option(names = "--server-java-opts", description = "JVM options of the server, space separated (default ${DEFAULT-VALUE})")
        private String serverJavaOptions = "-Xmx2g";

        private Path folder;

        private Builder()
        {
        }

        public Builder shoppers(final int shoppers)
        {
            this.shoppers = shoppers;
            return this;
        }

        /** The share of the crowd the stock serves. */
        public Builder buyerShare(final double buyerShare)
        {
            this.buyerShare = buyerShare;
            return this;
        }

        public Builder connections(final int connections)
        {
            this.connections = connections;
            return this;
        }

        /** The server's limits.idleExpirySeconds. */
        public Builder expirySeconds(final int expirySeconds)
        {
            this.expirySeconds = expirySeconds;
            return this;
        }

        /** The server's auth.tokenCacheSize. */
        public Builder tokenCacheSize(final int tokenCacheSize)
        {
            this.tokenCacheSize = tokenCacheSize;
            return this;
        }

        /** The memory budget: bytes per active shopper, per cached token, per buyer. */
        public Builder budgetBytes(final long perShopper, final long perToken, final long perBuyer)
        {
            this.shopperBudgetBytes = perShopper;
            this.tokenBudgetBytes = perToken;
            this.buyerBudgetBytes = perBuyer;
            return this;
        }

        public Builder maxSeconds(final int maxSeconds)
        {
            this.maxSeconds = maxSeconds;
            return this;
        }

        public Builder ioThreads(final int ioThreads)
        {
            this.ioThreads = ioThreads;
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

        public CrowdSettings build()
        {
            return new CrowdSettings(shoppers, buyerShare, connections, expirySeconds, tokenCacheSize, shopperBudgetBytes,
                tokenBudgetBytes, buyerBudgetBytes, maxSeconds, ioThreads, JavaOptions.split(serverJavaOptions), folder);
        }
    }
}
