package io.flashsale.journal.replication;

import io.flashsale.journal.link.LinkAuth;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The replication protocol's messages, one per Aeron message, little-endian; every message starts
 * with {@code int type}, fields from offset 8.
 *
 * <pre>
 *   1 JOIN       s→p  long nonce, long challenge (0 first), long timestampMillis, long lastSequence, long epoch,
 *                    long lastChecksum (the CRC32C of the standby's record lastSequence, 0 for none), byte[32] mac, u8 n, endpoint ASCII
 *   2 CHALLENGE  p→s  long nonce (echo), long challenge
 *   3 WELCOME    p→s  long nonce, long primaryId, long startSequence, long epoch, byte[32] mac
 *   4 REFUSED    p→s  long nonce, u8 n, reason ASCII
 *   5 RECORDS    p→s  int count, then count × (u16 length, one CommandCodec record, the journal's own bytes)
 *   6 ACK        s→p  long nonce, long sequence journaled, long that record's timestamp
 *   7 HEARTBEAT  p→s  long primaryId, long primary's last journaled sequence, long epochMillis, long live (1: this standby is
 *                     in sync, records reach it from the ring; 0: catching up)
 *   8 DIVERGED   p→s  long nonce, long keepThrough: the standby's records after it are from a superseded epoch
 *   9 STEP_DOWN  p→s  long primaryId, long primary's last journaled sequence, u8 n, reason ASCII: the primary's ring failed, it
 *                     acknowledges nothing more and leaves the lead to this standby
 *                s→p  long nonce: the standby saw it (the primary may end its process now)
 *
 *   join mac    = HMAC(secret, "flashsale-replication/join"    | nonce | challenge | timestamp | lastSequence | epoch | lastChecksum | endpoint)
 *   welcome mac = HMAC(secret, "flashsale-replication/welcome" | nonce | challenge | primaryId | startSequence | epoch)
 * </pre>
 *
 * A JOIN with a valid MAC and challenge 0 earns a fresh CHALLENGE sent to the endpoint it names;
 * the JOIN that echoes it admits the standby, and the WELCOME proves the primary holds the secret
 * too. Streams: 2001 standby→primary (the primary's one address), 2002 primary→standby. Any thread.
 */
final class ReplicationWire
{
    static final int TO_PRIMARY_STREAM = 2001;
    static final int TO_STANDBY_STREAM = 2002;
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    static final int JOIN = 1;
    static final int CHALLENGE = 2;
    static final int WELCOME = 3;
    static final int REFUSED = 4;
    static final int RECORDS = 5;
    static final int ACK = 6;
    static final int HEARTBEAT = 7;
    static final int DIVERGED = 8;
    static final int STEP_DOWN = 9;

    static final int BODY = 8;
    static final int MAC_LENGTH = 32;
    static final int JOIN_MAC = BODY + 48;
    static final int JOIN_LENGTH = JOIN_MAC + MAC_LENGTH + 1;
    static final int CHALLENGE_LENGTH = BODY + 16;
    static final int WELCOME_MAC = BODY + 32;
    static final int WELCOME_LENGTH = WELCOME_MAC + MAC_LENGTH;
    static final int ACK_LENGTH = BODY + 24;
    static final int HEARTBEAT_LENGTH = BODY + 32;
    static final int DIVERGED_LENGTH = BODY + 16;
    static final int STEP_DOWN_LENGTH = BODY + 17;
    static final int STEP_DOWN_SEEN_LENGTH = BODY + 8;
    static final int RECORDS_HEADER = BODY + 4;
    static final int RECORD_PREFIX = 2;

    private static final byte[] JOIN_LABEL = "flashsale-replication/join".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME_LABEL = "flashsale-replication/welcome".getBytes(StandardCharsets.US_ASCII);

    private ReplicationWire()
    {
    }

    static int type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ORDER);
    }

    static byte[] joinMac(final LinkAuth auth, final long nonce, final long challenge, final long timestamp, final long lastSequence,
        final long epoch, final long lastChecksum, final byte[] endpoint)
    {
        final ByteBuffer fields = ByteBuffer.allocate(48 + endpoint.length).order(ORDER);
        fields.putLong(nonce).putLong(challenge).putLong(timestamp).putLong(lastSequence).putLong(epoch).putLong(lastChecksum).put(endpoint);
        return auth.mac(JOIN_LABEL, fields.array());
    }

    static byte[] welcomeMac(final LinkAuth auth, final long nonce, final long challenge, final long primaryId, final long startSequence,
        final long epoch)
    {
        final ByteBuffer fields = ByteBuffer.allocate(40).order(ORDER);
        fields.putLong(nonce).putLong(challenge).putLong(primaryId).putLong(startSequence).putLong(epoch);
        return auth.mac(WELCOME_LABEL, fields.array());
    }

    static int join(final MutableDirectBuffer buffer, final long nonce, final long challenge, final long timestamp,
        final long lastSequence, final long epoch, final long lastChecksum, final byte[] mac, final byte[] endpoint)
    {
        buffer.putInt(0, JOIN, ORDER);
        buffer.putLong(BODY, nonce, ORDER);
        buffer.putLong(BODY + 8, challenge, ORDER);
        buffer.putLong(BODY + 16, timestamp, ORDER);
        buffer.putLong(BODY + 24, lastSequence, ORDER);
        buffer.putLong(BODY + 32, epoch, ORDER);
        buffer.putLong(BODY + 40, lastChecksum, ORDER);
        buffer.putBytes(JOIN_MAC, mac);
        buffer.putByte(JOIN_MAC + MAC_LENGTH, (byte)endpoint.length);
        buffer.putBytes(JOIN_LENGTH, endpoint);
        return JOIN_LENGTH + endpoint.length;
    }

    static int challenge(final MutableDirectBuffer buffer, final long nonce, final long challenge)
    {
        buffer.putInt(0, CHALLENGE, ORDER);
        buffer.putLong(BODY, nonce, ORDER);
        buffer.putLong(BODY + 8, challenge, ORDER);
        return CHALLENGE_LENGTH;
    }

    static int welcome(final MutableDirectBuffer buffer, final long nonce, final long primaryId, final long startSequence,
        final long epoch, final byte[] mac)
    {
        buffer.putInt(0, WELCOME, ORDER);
        buffer.putLong(BODY, nonce, ORDER);
        buffer.putLong(BODY + 8, primaryId, ORDER);
        buffer.putLong(BODY + 16, startSequence, ORDER);
        buffer.putLong(BODY + 24, epoch, ORDER);
        buffer.putBytes(WELCOME_MAC, mac);
        return WELCOME_LENGTH;
    }

    static int refused(final MutableDirectBuffer buffer, final long nonce, final String reason)
    {
        final byte[] text = reason.getBytes(StandardCharsets.US_ASCII);
        final int length = Math.min(text.length, 255);
        buffer.putInt(0, REFUSED, ORDER);
        buffer.putLong(BODY, nonce, ORDER);
        buffer.putByte(BODY + 8, (byte)length);
        buffer.putBytes(BODY + 9, text, 0, length);
        return BODY + 9 + length;
    }

    static String refusedReason(final DirectBuffer buffer, final int offset)
    {
        final int length = buffer.getByte(offset + BODY + 8) & 0xff;
        final byte[] text = new byte[length];
        buffer.getBytes(offset + BODY + 9, text);
        return new String(text, StandardCharsets.US_ASCII);
    }

    static int diverged(final MutableDirectBuffer buffer, final long nonce, final long keepThrough)
    {
        buffer.putInt(0, DIVERGED, ORDER);
        buffer.putLong(BODY, nonce, ORDER);
        buffer.putLong(BODY + 8, keepThrough, ORDER);
        return DIVERGED_LENGTH;
    }

    static int ack(final MutableDirectBuffer buffer, final long nonce, final long sequence, final long timestamp)
    {
        buffer.putInt(0, ACK, ORDER);
        buffer.putLong(BODY, nonce, ORDER);
        buffer.putLong(BODY + 8, sequence, ORDER);
        buffer.putLong(BODY + 16, timestamp, ORDER);
        return ACK_LENGTH;
    }

    static int heartbeat(final MutableDirectBuffer buffer, final long primaryId, final long lastSequence, final long epochMillis,
        final boolean live)
    {
        buffer.putInt(0, HEARTBEAT, ORDER);
        buffer.putLong(BODY, primaryId, ORDER);
        buffer.putLong(BODY + 8, lastSequence, ORDER);
        buffer.putLong(BODY + 16, epochMillis, ORDER);
        buffer.putLong(BODY + 24, live ? 1 : 0, ORDER);
        return HEARTBEAT_LENGTH;
    }

    static int stepDown(final MutableDirectBuffer buffer, final long primaryId, final long lastSequence, final String reason)
    {
        final byte[] text = reason.getBytes(StandardCharsets.US_ASCII);
        final int length = Math.min(text.length, 255);
        buffer.putInt(0, STEP_DOWN, ORDER);
        buffer.putLong(BODY, primaryId, ORDER);
        buffer.putLong(BODY + 8, lastSequence, ORDER);
        buffer.putByte(BODY + 16, (byte)length);
        buffer.putBytes(STEP_DOWN_LENGTH, text, 0, length);
        return STEP_DOWN_LENGTH + length;
    }

    static String stepDownReason(final DirectBuffer buffer, final int offset, final int length)
    {
        final int n = Math.min(buffer.getByte(offset + BODY + 16) & 0xff, length - STEP_DOWN_LENGTH);
        final byte[] text = new byte[Math.max(0, n)];
        buffer.getBytes(offset + STEP_DOWN_LENGTH, text);
        return new String(text, StandardCharsets.US_ASCII);
    }

    static int stepDownSeen(final MutableDirectBuffer buffer, final long nonce)
    {
        buffer.putInt(0, STEP_DOWN, ORDER);
        buffer.putLong(BODY, nonce, ORDER);
        return STEP_DOWN_SEEN_LENGTH;
    }

    static long longAt(final DirectBuffer buffer, final int offset, final int field)
    {
        return buffer.getLong(offset + BODY + field, ORDER);
    }

    static byte[] bytesAt(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
