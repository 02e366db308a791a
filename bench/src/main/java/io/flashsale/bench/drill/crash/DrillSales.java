package io.flashsale.bench.drill.crash;

import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Crowd;
import io.flashsale.http.auth.PurchaseKeys;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;

/**
 * The two sales a crash drill runs, created once through the admin API and kept across restarts:
 * a small LIMITED one the crowd sells out (per-user limit 2, a short payment window so that
 * walked-away orders expire and units come back), and a large OPEN one that never sells out, so
 * every cycle keeps reserving. Holds every shopper's purchase key for both.
 *
 * <p>Built on the main thread; read-only afterwards.
 */
final class DrillSales
{
    static final int LIMITED = 0;
    static final int OPEN = 1;

    private final long[] ids;
    private final long[] stock;
    private final String[][] keys;

    private DrillSales(final long[] ids, final long[] stock, final String[][] keys)
    {
        this.ids = ids;
        this.stock = stock;
        this.keys = keys;
    }

    static DrillSales create(final AdminClient admin, final Crowd crowd, final byte[] secret, final long limitedStock)
        throws IOException, InterruptedException
    {
        final Instant now = Instant.now();
        final long limited = admin.createSale(new AdminClient.SaleTerms("crash drill limited", limitedStock,
            now.minusSeconds(1), now.plus(Duration.ofDays(1)), 2, 3));
        final long open = admin.createSale(new AdminClient.SaleTerms("crash drill open", 100_000_000,
            now.minusSeconds(1), now.plus(Duration.ofDays(1)), 1_000_000, 3600));
        final long[] ids = {limited, open};
        final PurchaseKeys purchaseKeys = new PurchaseKeys(secret);
        final String[][] keys = new String[2][crowd.size()];
        for (int sale = 0; sale < 2; sale++)
        {
            final int s = sale;
            IntStream.range(0, crowd.size()).parallel().forEach(i -> keys[s][i] = purchaseKeys.keyFor(ids[s], crowd.userId(i)));
        }
        return new DrillSales(ids, new long[] {limitedStock, 100_000_000}, keys);
    }

    long id(final int sale)
    {
        return ids[sale];
    }

    long stock(final int sale)
    {
        return stock[sale];
    }

    String key(final int sale, final int shopper)
    {
        return keys[sale][shopper];
    }
}
