package io.flashsale.http.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The purchase key of one shopper for one sale: an HMAC-SHA256 over (sale id, user id) with a key
 * derived from the server secret, truncated to 128 bits and base64url-encoded (22 characters).
 * Bound to shopper and sale, so it cannot be shared or guessed, and handed out only once the sale
 * has started, so scripts cannot pre-fire purchases. Nothing is stored: it is recomputed to check.
 *
 * <p>Any thread: each thread keeps its own {@link Mac}.
 */
public final class PurchaseKeys
{
    private static final int KEY_BYTES = 16;
    /** Base64url without padding of 16 bytes. */
    public static final int KEY_CHARS = 22;

    private final ThreadLocal<Mac> macs;

    public PurchaseKeys(final byte[] serverSecret)
    {
        final byte[] derived = hmac(serverSecret, "flashsale purchase keys v1".getBytes(StandardCharsets.US_ASCII));
        this.macs = ThreadLocal.withInitial(() -> newMac(derived));
    }

    public String keyFor(final long saleId, final long userId)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw(saleId, userId));
    }

    /** True when {@code key} is this shopper's key for this sale; constant time in the key's bytes. */
    public boolean matches(final long saleId, final long userId, final String key)
    {
        if (key == null || key.length() != KEY_CHARS)
        {
            return false;
        }
        final byte[] given;
        try
        {
            given = Base64.getUrlDecoder().decode(key);
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
        return MessageDigest.isEqual(raw(saleId, userId), given);
    }

    private byte[] raw(final long saleId, final long userId)
    {
        final Mac mac = macs.get();
        final byte[] message = new byte[16];
        putLong(message, 0, saleId);
        putLong(message, 8, userId);
        final byte[] full = mac.doFinal(message);
        final byte[] truncated = new byte[KEY_BYTES];
        System.arraycopy(full, 0, truncated, 0, KEY_BYTES);
        return truncated;
    }

    private static void putLong(final byte[] into, final int at, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            into[at + i] = (byte)(value >>> (56 - 8 * i));
        }
    }

    private static byte[] hmac(final byte[] key, final byte[] message)
    {
        return newMac(key).doFinal(message);
    }

    private static Mac newMac(final byte[] key)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("every JDK has HmacSHA256", ex);
        }
    }
}
