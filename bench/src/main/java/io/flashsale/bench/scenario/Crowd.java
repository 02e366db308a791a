package io.flashsale.bench.scenario;

import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.auth.TokenIssuer;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;

/**
 * The shoppers of a run, each with a token minted from the server's secret (subject
 * "bench-RUN-i", so runs against the same server never share a shopper) and, once a sale is known,
 * the purchase key the server would hand out. Minted in parallel before the start instant, so the
 * generator spends no time on HMACs during the run.
 *
 * <p>Built on the main thread; read-only afterwards, so any thread may read it.
 */
public final class Crowd
{
    private final byte[] secret;
    private final String[] authorizations;
    private final long[] userIds;
    private String[] keys;

    private Crowd(final byte[] secret, final String[] authorizations, final long[] userIds)
    {
        this.secret = secret;
        this.authorizations = authorizations;
        this.userIds = userIds;
    }

    public static Crowd mint(final byte[] secret, final String runTag, final int size, final Duration validFor)
    {
        final TokenIssuer issuer = new TokenIssuer(secret);
        final Instant expiresAt = Instant.now().plus(validFor);
        final String[] authorizations = new String[size];
        final long[] userIds = new long[size];
        IntStream.range(0, size).parallel().forEach(i ->
        {
            final String subject = "bench-" + runTag + "-" + i;
            authorizations[i] = "Bearer " + issuer.issue(subject, Role.SHOPPER, expiresAt);
            userIds[i] = ShopperIds.userId(subject);
        });
        return new Crowd(secret, authorizations, userIds);
    }

    /** Computes every shopper's purchase key for {@code saleId}, as the server's GET .../key would answer. */
    public Crowd withKeysFor(final long saleId)
    {
        final PurchaseKeys purchaseKeys = new PurchaseKeys(secret);
        final String[] computed = new String[userIds.length];
        IntStream.range(0, userIds.length).parallel().forEach(i -> computed[i] = purchaseKeys.keyFor(saleId, userIds[i]));
        keys = computed;
        return this;
    }

    public int size()
    {
        return authorizations.length;
    }

    /** The {@code Authorization} header value of shopper {@code i}. */
    public String authorization(final int i)
    {
        return authorizations[i];
    }

    public long userId(final int i)
    {
        return userIds[i];
    }

    /** Shopper {@code i}'s purchase key; {@link #withKeysFor} first. */
    public String key(final int i)
    {
        return keys[i];
    }

    /** An admin token from the same secret, for setting up sales and reading their books. */
    public static String adminAuthorization(final byte[] secret)
    {
        return "Bearer " + new TokenIssuer(secret).issue("bench-admin", Role.ADMIN, Instant.now().plus(Duration.ofHours(2)));
    }
}
