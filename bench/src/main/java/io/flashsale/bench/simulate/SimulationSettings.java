package io.flashsale.bench.simulate;

import io.flashsale.engine.pipeline.WaitStrategyKind;

/**
 * What a simulated flash sale looks like: the crowd, the stock, and how shoppers behave once
 * they hold a reservation (pay, cancel, or walk away and let the payment window expire).
 */
public record SimulationSettings(
    int shoppers,
    long stock,
    int perUserLimit,
    int threads,
    double payShare,
    double cancelShare,
    long paymentWindowMillis,
    int retries,
    int ringSize,
    WaitStrategyKind waitStrategy,
    long seed)
{
    public SimulationSettings
    {
        require(shoppers > 0, "--shoppers must be at least 1");
        require(stock > 0 && stock <= Integer.MAX_VALUE, "--stock must be between 1 and 2^31-1");
        require(perUserLimit > 0, "--per-user-limit must be at least 1");
        require(threads > 0 && threads <= 256, "--threads must be between 1 and 256");
        require(payShare >= 0 && cancelShare >= 0 && payShare + cancelShare <= 1.0,
            "--pay and --cancel are shares between 0 and 1 whose sum is at most 1");
        require(paymentWindowMillis > 0, "--payment-window-ms must be at least 1");
        require(retries >= 0, "--retries must not be negative");
        require(ringSize > 0 && Integer.bitCount(ringSize) == 1, "--ring-size must be a power of two");
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
