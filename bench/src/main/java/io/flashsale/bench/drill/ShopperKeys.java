package io.flashsale.bench.drill;

import io.flashsale.bench.scenario.Crowd;
import io.flashsale.http.auth.PurchaseKeys;

import java.util.stream.IntStream;

/** Every shopper's purchase key for one sale, as the server's {@code GET .../key} would answer. Stateless. */
public final class ShopperKeys
{
    private ShopperKeys()
    {
    }

    public static String[] of(final byte[] secret, final Crowd crowd, final long saleId)
    {
        final PurchaseKeys purchaseKeys = new PurchaseKeys(secret);
        final String[] keys = new String[crowd.size()];
        IntStream.range(0, crowd.size()).parallel().forEach(i -> keys[i] = purchaseKeys.keyFor(saleId, crowd.userId(i)));
        return keys;
    }
}
