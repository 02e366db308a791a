package io.flashsale.bench.drill.crowd;

import java.nio.file.Path;
import java.util.List;

/**
 * How a crowd drill runs: how many distinct shoppers, the share of them who can buy (the sale's
 * stock), the connections that carry them, the server's idle expiry of rate-limit state and its
 * token cache size, the memory budget the drill holds the server to, a bound on the run's
 * duration, the server's JVM options and the drill's folder.
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
}
