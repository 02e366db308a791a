package io.flashsale.journal.link;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Proofs that a peer holds the shared secret ({@code FLASHSALE_AUTH_SECRET}): HMAC-SHA256 over
 * the handshake's fields, so the secret itself never crosses the link.
 *
 * <pre>
 *   edge  -> core  HELLO(edgeId, edgeNonce, challenge 0, ts, endpoint, mac)    proves the secret; replayable
 *   core  -> edge  CHALLENGE(edgeNonce, coreChallenge)                         to the endpoint in a valid HELLO
 *   edge  -> core  HELLO(edgeId, edgeNonce, coreChallenge, ts, endpoint, mac)  fresh: the session is admitted
 *   core  -> edge  WELCOME(edgeId, coreInstanceId, mac)                        the core holds the secret too
 *
 *   hello mac   = HMAC(secret, "flashsale-link/hello"   | edgeId | edgeNonce | coreChallenge | ts | endpoint)
 *   welcome mac = HMAC(secret, "flashsale-link/welcome" | edgeId | edgeNonce | coreChallenge | coreInstanceId)
 * </pre>
 * (integers little-endian, the endpoint in ASCII). Handshakes are rare: this class allocates.
 *
 * <p>One instance per thread (a {@link Mac} is not thread-safe).
 */
public final class LinkAuth
{
    private static final byte[] HELLO_LABEL = "flashsale-link/hello".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME_LABEL = "flashsale-link/welcome".getBytes(StandardCharsets.US_ASCII);

    private final Mac mac;
    private final SecureRandom random = new SecureRandom();

    /** @param secret the shared secret's bytes; must not be empty */
    public LinkAuth(final byte[] secret)
    {
        if (secret == null || secret.length == 0)
        {
            throw new IllegalArgumentException("the link needs a non-empty shared secret");
        }
        try
        {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    public byte[] helloMac(
        final int edgeId, final long edgeNonce, final long coreChallenge, final long timestampMillis, final byte[] endpointAscii)
    {
        final ByteBuffer fields = ByteBuffer.allocate(28 + endpointAscii.length).order(ByteOrder.LITTLE_ENDIAN);
        fields.putInt(edgeId).putLong(edgeNonce).putLong(coreChallenge).putLong(timestampMillis).put(endpointAscii);
        return sign(HELLO_LABEL, fields.array());
    }

    public byte[] welcomeMac(final int edgeId, final long edgeNonce, final long coreChallenge, final long coreInstanceId)
    {
        final ByteBuffer fields = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        fields.putInt(edgeId).putLong(edgeNonce).putLong(coreChallenge).putLong(coreInstanceId);
        return sign(WELCOME_LABEL, fields.array());
    }

    /**
     * HMAC(secret, label | fields): for another protocol on the same secret (replication), whose
     * labels keep its proofs from being replayed as a link's.
     */
    public byte[] mac(final byte[] label, final byte[] fields)
    {
        return sign(label, fields);
    }

    /** Constant-time comparison of a received MAC with the expected one. */
    public static boolean matches(final byte[] expected, final byte[] received)
    {
        return MessageDigest.isEqual(expected, received);
    }

    /** A random non-zero nonce (zero means "no challenge yet" on the wire). */
    public long nonce()
    {
        long value;
        do
        {
            value = random.nextLong();
        }
        while (value == 0);
        return value;
    }

    private byte[] sign(final byte[] label, final byte[] fields)
    {
        mac.update(label);
        mac.update(fields);
        return mac.doFinal();
    }
}
