package io.flashsale.http.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.flashsale.http.config.ServerConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.net.InetAddress;
import java.time.Duration;
import java.util.function.Function;

/**
 * Token buckets (Bucket4j) per shopper and per client IP. The buckets live in Caffeine caches
 * bounded in size and dropped after a spell of idleness (by a timer, not only when the cache is
 * next used), so a million shoppers cost bounded memory and give it back once they are gone; a
 * forgotten bucket would have refilled anyway, so forgetting it changes nothing.
 *
 * <p>Any thread (IO threads): Bucket4j's local buckets are lock-free and Caffeine is concurrent.
 */
public final class RateLimiter
{
    /** {@link #tryAcquire} returns this when the request may go on. */
    public static final long ALLOWED = 0;

    private final boolean enabled;
    private final Cache<Long, Bucket> byShopper;
    private final Cache<InetAddress, Bucket> byIp;
    private final Function<Long, Bucket> newShopperBucket;
    private final Function<InetAddress, Bucket> newIpBucket;

    public RateLimiter(final ServerConfig.Limits limits)
    {
        this.enabled = limits.enabled;
        this.byShopper = cache(limits);
        this.byIp = cache(limits);
        final Bandwidth shopper = bandwidth(limits.shopper);
        final Bandwidth ip = bandwidth(limits.ip);
        this.newShopperBucket = key -> Bucket.builder().addLimit(shopper).build();
        this.newIpBucket = key -> Bucket.builder().addLimit(ip).build();
    }

    /**
     * Takes one token from the IP's bucket and one from the shopper's.
     *
     * @return {@link #ALLOWED}, or a positive number of seconds to wait, negated for the IP
     *         bucket (so the caller can tell which limit it hit)
     */
    public long tryAcquire(final long userId, final InetAddress ip)
    {
        if (!enabled)
        {
            return ALLOWED;
        }
        final Bucket ipBucket = byIp.get(ip, newIpBucket);
        if (!ipBucket.tryConsume(1))
        {
            return -retryAfterSeconds(ipBucket);
        }
        final Bucket shopperBucket = byShopper.get(userId, newShopperBucket);
        if (!shopperBucket.tryConsume(1))
        {
            return retryAfterSeconds(shopperBucket);
        }
        return ALLOWED;
    }

    /** Buckets held right now (for tests and metrics); approximate. */
    public long trackedShoppers()
    {
        return byShopper.estimatedSize();
    }

    private static long retryAfterSeconds(final Bucket bucket)
    {
        final long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    private static Bandwidth bandwidth(final ServerConfig.Bucket bucket)
    {
        // Express the rate over a period long enough that fractional rates (0.5/s) stay whole tokens.
        final long periodNanos = 1_000_000_000L * 1000;
        final long tokensPerPeriod = Math.max(1, Math.round(bucket.refillPerSecond * 1000));
        return Bandwidth.builder()
            .capacity(bucket.capacity)
            .refillGreedy(tokensPerPeriod, Duration.ofNanos(periodNanos))
            .build();
    }

    private static <K> Cache<K, Bucket> cache(final ServerConfig.Limits limits)
    {
        return Caffeine.newBuilder()
            .maximumSize(limits.maxTrackedKeys)
            .expireAfterAccess(Duration.ofSeconds(limits.idleExpirySeconds))
            // Without a scheduler Caffeine drops expired entries only when the cache is next used: after
            // a crowd leaves, its buckets would stay until the next shopper came (drill crowd).
            .scheduler(Scheduler.systemScheduler())
            .build();
    }
}
