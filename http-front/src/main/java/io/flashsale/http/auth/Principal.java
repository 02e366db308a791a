package io.flashsale.http.auth;

/**
 * Who a verified token speaks for. Immutable, shared between IO threads through the token cache.
 *
 * @param subject         the token's {@code sub}, kept for messages
 * @param userId          the engine's user id for the subject, positive (see {@link ShopperIds})
 * @param role            shopper or admin
 * @param expiresAtMillis the token's {@code exp}, in epoch milliseconds
 */
public record Principal(String subject, long userId, Role role, long expiresAtMillis)
{
    public boolean expiredAt(final long nowMillis)
    {
        return nowMillis >= expiresAtMillis;
    }
}
