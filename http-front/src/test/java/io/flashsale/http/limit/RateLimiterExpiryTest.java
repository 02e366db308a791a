package io.flashsale.http.limit;

import io.flashsale.http.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crowd's rate-limit buckets are given back once they have been idle for
 * {@code limits.idleExpirySeconds}, even if nobody comes after the crowd: the memory of a million
 * shoppers must not wait for the next shopper to be freed.
 */
class RateLimiterExpiryTest
{
    @Test
    void idleBucketsAreDroppedWithoutFurtherTraffic() throws Exception
    {
        final ServerConfig.Limits limits = new ServerConfig().limits;
        limits.idleExpirySeconds = 1;
        limits.ip = new ServerConfig.Bucket(1_000_000, 1_000_000);
        final RateLimiter limiter = new RateLimiter(limits);
        final InetAddress ip = InetAddress.getLoopbackAddress();
        for (long shopper = 1; shopper <= 5_000; shopper++)
        {
            assertThat(limiter.tryAcquire(shopper, ip)).isEqualTo(RateLimiter.ALLOWED);
        }
        assertThat(limiter.trackedShoppers()).isEqualTo(5_000);

        // No call into the limiter from here on.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
            .untilAsserted(() -> assertThat(limiter.trackedShoppers()).isZero());
    }
}
