package io.flashsale.bench.load;

/**
 * What the server answered to one request, copied out of Netty's buffers: status, the
 * {@code Retry-After} header in seconds (-1 when absent or not a number) and the body as text.
 *
 * <p>Immutable; any thread.
 */
public record Answer(int status, long retryAfterSeconds, String body)
{
    public boolean isSuccess()
    {
        return status >= 200 && status < 300;
    }

    static long parseRetryAfter(final String header)
    {
        if (header == null)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(header.trim());
        }
        catch (final NumberFormatException ex)
        {
            return -1; // an HTTP-date: the server never sends one, and a retry falls back to its own pause
        }
    }
}
