package io.flashsale.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Maps a token subject (any string) to the engine's user id: the first 8 bytes of its SHA-256,
 * as a positive 63-bit number, never 0. Stable across restarts and fronts, so a replayed journal
 * and every front agree on who is who. Any thread.
 */
public final class ShopperIds
{
    private ShopperIds()
    {
    }

    public static long userId(final String subject)
    {
        final byte[] digest = sha256().digest(subject.getBytes(StandardCharsets.UTF_8));
        long id = 0;
        for (int i = 0; i < 8; i++)
        {
            id = (id << 8) | (digest[i] & 0xff);
        }
        id &= Long.MAX_VALUE;
        return id == 0 ? 1 : id;
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }
}
