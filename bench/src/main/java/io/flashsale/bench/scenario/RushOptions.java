package io.flashsale.bench.scenario;

import java.time.Duration;

/**
 * The knobs of the {@code rush} scenario.
 *
 * @param shoppers             the crowd; each fires once at the start instant
 * @param stock                units on sale (per-user limit 1)
 * @param pay                  share of reservations that are paid
 * @param cancel               share that are cancelled; the rest walk away and their payment window expires
 * @param paymentWindowSeconds the sale's payment window (the server's minimum is 1 s)
 * @param think                a shopper waits a uniform 0..think before paying or cancelling
 * @param retryJitter          added (uniform 0..jitter) to every retry pause, so retries do not come back as one wave
 * @param maxAttempts          tries per step when the answer is 503 / 429 (retry after Retry-After) or 425
 * @param soldOutRetries       how often a shopper told SOLD_OUT tries again, in case units come back
 * @param soldOutPause         the pause before such a retry
 * @param seed                 the crowd's choices
 */
public record RushOptions(
    int shoppers,
    long stock,
    double pay,
    double cancel,
    long paymentWindowSeconds,
    Duration think,
    Duration retryJitter,
    int maxAttempts,
    int soldOutRetries,
    Duration soldOutPause,
    long seed)
{
    public RushOptions
    {
        if (shoppers < 1 || shoppers > 10_000_000)
        {
            throw new IllegalArgumentException("shoppers must be between 1 and 10000000, was " + shoppers);
        }
        if (stock < 1 || stock > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("stock must be between 1 and " + Integer.MAX_VALUE + ", was " + stock);
        }
        if (pay < 0 || cancel < 0 || pay + cancel > 1)
        {
            throw new IllegalArgumentException("pay and cancel are shares: each 0 or more, together at most 1");
        }
        if (paymentWindowSeconds < 1 || paymentWindowSeconds > 3600)
        {
            throw new IllegalArgumentException("the payment window must be between 1 and 3600 seconds, was " + paymentWindowSeconds);
        }
        if (maxAttempts < 1 || soldOutRetries < 0)
        {
            throw new IllegalArgumentException("attempts must be at least 1 and sold-out retries 0 or more");
        }
    }

    public static RushOptions defaults()
    {
        return new RushOptions(2_000, 100, 0.6, 0.2, 2, Duration.ofMillis(200), Duration.ofMillis(500), 10, 1,
            Duration.ofMillis(500), 42);
    }
}
