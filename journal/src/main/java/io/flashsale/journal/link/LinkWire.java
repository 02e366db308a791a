package io.flashsale.journal.link;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleState;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.journal.codec.CommandCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The link's messages: little-endian binary, read and written in place over Agrona buffers
 * (static flyweight accessors: no objects per message). One Aeron fragment carries as many
 * whole messages as fit in the publication's maximum payload, back to back.
 *
 * <pre>
 * every message:  0 u16 length (whole message)  2 u8 type  3 u8 version (1)  4 body
 *
 * edge to core
 *   HELLO         4 int edgeId, 8 long edgeNonce, 16 long coreChallenge (0: first hello),
 *                 24 long timestampMillis, 32 byte[32] HMAC-SHA256, 64 u8 n, 65 endpoint (ASCII, n)
 *   COMMAND       4 long correlationId, 12 one {@link CommandCodec} record (PURCHASE, PAY, CANCEL)
 *   QUERY_ORDER   4 long correlationId, 12 long timestamp, 20 long orderId, 28 long userId
 *   REPORT        4 long saleId, 12 long attempts, 20 long onlineShoppers, 28 long windowMillis
 *   TIME_REQUEST  4 long edgeEpochNanos
 * core to edge
 *   CHALLENGE     4 long edgeNonce (echoed), 12 long coreChallenge
 *   WELCOME       4 int edgeId, 8 long coreInstanceId, 16 byte[32] HMAC-SHA256
 *   OUTCOME       4 long correlationId, 12 long orderId, 20 long saleId, 28 long userId,
 *                 36 long deadline, 44 int qty, 48 u8 outcome code, 49 u8 order state code (0: none)
 *   SALE_VIEW     4 long saleId, 12 long stock, 20 long startsAt, 28 long endsAt,
 *                 36 long paymentWindowMillis, 44 int perUserLimit, 48 long available,
 *                 56 long reserved, 64 long paid, 72 long cancelled, 80 long expired,
 *                 88 long distinctBuyers, 96 long engineTime, 104 u8 state at the core's clock,
 *                 105 u8 n, 106 name (UTF-8, n)
 *   ADMISSION     4 long saleId, 12 double probability
 *   TIME_REPLY    4 long edgeEpochNanos (echoed), 12 long coreEpochNanos
 * both ways
 *   HEARTBEAT     4 int senderId (edge id; 0 from the core), 8 long senderEpochNanos
 *                 from the core, its standing too: 16 u8 role ({@link CoreStanding}: 1 primary, 2 standby),
 *                 17 long epoch, 25 long journal sequence (-1: unknown)
 * </pre>
 *
 * <p>QUERY_ORDER has a message of its own because the journal codec records only commands that
 * change state. Codes are stable; an unknown type is skipped by its length, so a newer peer may
 * add types.
 *
 * <p>Stateless: any thread.
 */
public final class LinkWire
{
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int HEADER_LENGTH = 4;
    public static final byte VERSION = 1;

    public static final byte HELLO = 1;
    public static final byte COMMAND = 2;
    public static final byte QUERY_ORDER = 3;
    public static final byte REPORT = 4;
    public static final byte HEARTBEAT = 5;
    public static final byte TIME_REQUEST = 6;
    public static final byte CHALLENGE = 16;
    public static final byte WELCOME = 17;
    public static final byte OUTCOME = 18;
    public static final byte SALE_VIEW = 19;
    public static final byte ADMISSION = 20;
    public static final byte TIME_REPLY = 21;

    public static final int MAC_LENGTH = 32;
    public static final int MAX_ENDPOINT_LENGTH = 255;

    public static final int HELLO_EDGE_ID = 4;
    public static final int HELLO_EDGE_NONCE = 8;
    public static final int HELLO_CHALLENGE = 16;
    public static final int HELLO_TIMESTAMP = 24;
    public static final int HELLO_MAC = 32;
    public static final int HELLO_ENDPOINT_LENGTH = 64;
    public static final int HELLO_ENDPOINT = 65;

    public static final int COMMAND_CORRELATION = 4;
    public static final int COMMAND_RECORD = 12;
    public static final int MAX_COMMAND_LENGTH = COMMAND_RECORD + CommandCodec.MAX_RECORD_LENGTH;

    public static final int QUERY_LENGTH = 36;
    public static final int REPORT_LENGTH = 36;
    public static final int HEARTBEAT_LENGTH = 16;
    public static final int CORE_HEARTBEAT_LENGTH = 33;
    public static final int HEARTBEAT_ROLE = 16;
    public static final int HEARTBEAT_EPOCH = 17;
    public static final int HEARTBEAT_SEQUENCE = 25;
    public static final int TIME_REQUEST_LENGTH = 12;
    public static final int CHALLENGE_LENGTH = 20;
    public static final int WELCOME_LENGTH = 48;
    public static final int WELCOME_MAC = 16;
    public static final int OUTCOME_LENGTH = 50;
    public static final int SALE_VIEW_NAME = 106;
    public static final int MAX_SALE_VIEW_LENGTH = SALE_VIEW_NAME + CommandEvent.MAX_TEXT_BYTES;
    public static final int ADMISSION_LENGTH = 20;
    public static final int TIME_REPLY_LENGTH = 20;

    /** The longest message any side writes. */
    public static final int MAX_MESSAGE_LENGTH = HELLO_ENDPOINT + MAX_ENDPOINT_LENGTH;

    private LinkWire()
    {
    }

    // ---- header

    public static int length(final DirectBuffer buffer, final int at)
    {
        return buffer.getShort(at, ORDER) & 0xffff;
    }

    public static byte type(final DirectBuffer buffer, final int at)
    {
        return buffer.getByte(at + 2);
    }

    public static byte version(final DirectBuffer buffer, final int at)
    {
        return buffer.getByte(at + 3);
    }

    private static void header(final MutableDirectBuffer buffer, final int at, final int length, final byte type)
    {
        buffer.putShort(at, (short)length, ORDER);
        buffer.putByte(at + 2, type);
        buffer.putByte(at + 3, VERSION);
    }

    // ---- writers: each writes one whole message at {@code at} and returns its length

    public static int hello(
        final MutableDirectBuffer buffer,
        final int at,
        final int edgeId,
        final long edgeNonce,
        final long coreChallenge,
        final long timestampMillis,
        final byte[] mac,
        final byte[] endpointAscii)
    {
        final int length = HELLO_ENDPOINT + endpointAscii.length;
        header(buffer, at, length, HELLO);
        buffer.putInt(at + HELLO_EDGE_ID, edgeId, ORDER);
        buffer.putLong(at + HELLO_EDGE_NONCE, edgeNonce, ORDER);
        buffer.putLong(at + HELLO_CHALLENGE, coreChallenge, ORDER);
        buffer.putLong(at + HELLO_TIMESTAMP, timestampMillis, ORDER);
        buffer.putBytes(at + HELLO_MAC, mac, 0, MAC_LENGTH);
        buffer.putByte(at + HELLO_ENDPOINT_LENGTH, (byte)endpointAscii.length);
        buffer.putBytes(at + HELLO_ENDPOINT, endpointAscii);
        return length;
    }

    /**
     * A COMMAND carrying a journal codec record already encoded in {@code record} (by
     * {@link CommandCodec#encode}, with sequence 0 and {@link CommandCodec#NO_RING_SEQUENCE}; the
     * types the journal records that an edge may send: PURCHASE, PAY, CANCEL).
     */
    public static int command(
        final MutableDirectBuffer buffer, final int at, final long correlationId, final byte[] record, final int recordLength)
    {
        final int length = COMMAND_RECORD + recordLength;
        header(buffer, at, length, COMMAND);
        buffer.putLong(at + COMMAND_CORRELATION, correlationId, ORDER);
        buffer.putBytes(at + COMMAND_RECORD, record, 0, recordLength);
        return length;
    }

    public static int queryOrder(
        final MutableDirectBuffer buffer, final int at, final long correlationId, final long timestamp, final long orderId, final long userId)
    {
        header(buffer, at, QUERY_LENGTH, QUERY_ORDER);
        buffer.putLong(at + 4, correlationId, ORDER);
        buffer.putLong(at + 12, timestamp, ORDER);
        buffer.putLong(at + 20, orderId, ORDER);
        buffer.putLong(at + 28, userId, ORDER);
        return QUERY_LENGTH;
    }

    public static int report(
        final MutableDirectBuffer buffer, final int at, final long saleId, final long attempts, final long online, final long windowMillis)
    {
        header(buffer, at, REPORT_LENGTH, REPORT);
        buffer.putLong(at + 4, saleId, ORDER);
        buffer.putLong(at + 12, attempts, ORDER);
        buffer.putLong(at + 20, online, ORDER);
        buffer.putLong(at + 28, windowMillis, ORDER);
        return REPORT_LENGTH;
    }

    public static int heartbeat(final MutableDirectBuffer buffer, final int at, final int senderId, final long epochNanos)
    {
        header(buffer, at, HEARTBEAT_LENGTH, HEARTBEAT);
        buffer.putInt(at + 4, senderId, ORDER);
        buffer.putLong(at + 8, epochNanos, ORDER);
        return HEARTBEAT_LENGTH;
    }

    /** The core's HEARTBEAT: its clock and its standing (role, epoch, journal sequence). */
    public static int coreHeartbeat(
        final MutableDirectBuffer buffer, final int at, final long epochNanos, final byte role, final long epoch, final long journalSequence)
    {
        header(buffer, at, CORE_HEARTBEAT_LENGTH, HEARTBEAT);
        buffer.putInt(at + 4, 0, ORDER);
        buffer.putLong(at + 8, epochNanos, ORDER);
        buffer.putByte(at + HEARTBEAT_ROLE, role);
        buffer.putLong(at + HEARTBEAT_EPOCH, epoch, ORDER);
        buffer.putLong(at + HEARTBEAT_SEQUENCE, journalSequence, ORDER);
        return CORE_HEARTBEAT_LENGTH;
    }

    public static int timeRequest(final MutableDirectBuffer buffer, final int at, final long edgeEpochNanos)
    {
        header(buffer, at, TIME_REQUEST_LENGTH, TIME_REQUEST);
        buffer.putLong(at + 4, edgeEpochNanos, ORDER);
        return TIME_REQUEST_LENGTH;
    }

    public static int challenge(final MutableDirectBuffer buffer, final int at, final long edgeNonce, final long coreChallenge)
    {
        header(buffer, at, CHALLENGE_LENGTH, CHALLENGE);
        buffer.putLong(at + 4, edgeNonce, ORDER);
        buffer.putLong(at + 12, coreChallenge, ORDER);
        return CHALLENGE_LENGTH;
    }

    public static int welcome(final MutableDirectBuffer buffer, final int at, final int edgeId, final long coreInstanceId, final byte[] mac)
    {
        header(buffer, at, WELCOME_LENGTH, WELCOME);
        buffer.putInt(at + 4, edgeId, ORDER);
        buffer.putLong(at + 8, coreInstanceId, ORDER);
        buffer.putBytes(at + WELCOME_MAC, mac, 0, MAC_LENGTH);
        return WELCOME_LENGTH;
    }

    /** An OUTCOME from the result fields of an applied command. */
    public static int outcome(final MutableDirectBuffer buffer, final int at, final long correlationId, final CommandEvent result)
    {
        header(buffer, at, OUTCOME_LENGTH, OUTCOME);
        buffer.putLong(at + 4, correlationId, ORDER);
        buffer.putLong(at + 12, result.resultOrderId, ORDER);
        buffer.putLong(at + 20, result.resultSaleId, ORDER);
        buffer.putLong(at + 28, result.resultUserId, ORDER);
        buffer.putLong(at + 36, result.resultDeadline, ORDER);
        buffer.putInt(at + 44, result.resultQty, ORDER);
        buffer.putByte(at + 48, result.outcome.code());
        buffer.putByte(at + 49, result.resultOrderState == null ? 0 : result.resultOrderState.code());
        return OUTCOME_LENGTH;
    }

    /** A SALE_VIEW of {@code view}'s terms and one consistent cut of its counts. */
    public static int saleView(
        final MutableDirectBuffer buffer, final int at, final SaleView view, final SaleCounts counts, final long coreTimeMillis)
    {
        buffer.putLong(at + 4, view.id, ORDER);
        buffer.putLong(at + 12, view.stock, ORDER);
        buffer.putLong(at + 20, view.startsAt, ORDER);
        buffer.putLong(at + 28, view.endsAt, ORDER);
        buffer.putLong(at + 36, view.paymentWindowMillis, ORDER);
        buffer.putInt(at + 44, view.perUserLimit, ORDER);
        buffer.putLong(at + 48, counts.available, ORDER);
        buffer.putLong(at + 56, counts.reserved, ORDER);
        buffer.putLong(at + 64, counts.paid, ORDER);
        buffer.putLong(at + 72, counts.cancelled, ORDER);
        buffer.putLong(at + 80, counts.expired, ORDER);
        buffer.putLong(at + 88, counts.distinctBuyers, ORDER);
        buffer.putLong(at + 96, counts.engineTime, ORDER);
        buffer.putByte(at + 104, stateCode(SaleState.at(coreTimeMillis, view.startsAt, view.endsAt, counts.available)));
        final int nameLength = putUtf8(buffer, at + SALE_VIEW_NAME, view.name, CommandEvent.MAX_TEXT_BYTES);
        buffer.putByte(at + 105, (byte)nameLength);
        final int length = SALE_VIEW_NAME + nameLength;
        header(buffer, at, length, SALE_VIEW);
        return length;
    }

    public static int admission(final MutableDirectBuffer buffer, final int at, final long saleId, final double probability)
    {
        header(buffer, at, ADMISSION_LENGTH, ADMISSION);
        buffer.putLong(at + 4, saleId, ORDER);
        buffer.putDouble(at + 12, probability, ORDER);
        return ADMISSION_LENGTH;
    }

    public static int timeReply(final MutableDirectBuffer buffer, final int at, final long edgeEpochNanos, final long coreEpochNanos)
    {
        header(buffer, at, TIME_REPLY_LENGTH, TIME_REPLY);
        buffer.putLong(at + 4, edgeEpochNanos, ORDER);
        buffer.putLong(at + 12, coreEpochNanos, ORDER);
        return TIME_REPLY_LENGTH;
    }

    // ---- readers of fields that are not plain longs at a documented offset

    /** Copies the OUTCOME at {@code at} into the result fields of {@code into} (input fields untouched). */
    public static void readOutcome(final DirectBuffer buffer, final int at, final CommandEvent into)
    {
        into.resultOrderId = buffer.getLong(at + 12, ORDER);
        into.resultSaleId = buffer.getLong(at + 20, ORDER);
        into.resultUserId = buffer.getLong(at + 28, ORDER);
        into.resultDeadline = buffer.getLong(at + 36, ORDER);
        into.resultQty = buffer.getInt(at + 44, ORDER);
        into.outcome = io.flashsale.engine.command.Outcome.fromCode(buffer.getByte(at + 48));
        into.resultOrderState = OrderState.fromCode(buffer.getByte(at + 49));
    }

    public static byte stateCode(final SaleState state)
    {
        return switch (state)
        {
            case SCHEDULED -> 1;
            case OPEN -> 2;
            case SOLD_OUT -> 3;
            case ENDED -> 4;
        };
    }

    /** The state for a wire code, or null for a code this version does not know. */
    public static SaleState state(final int code)
    {
        return switch (code)
        {
            case 1 -> SaleState.SCHEDULED;
            case 2 -> SaleState.OPEN;
            case 3 -> SaleState.SOLD_OUT;
            case 4 -> SaleState.ENDED;
            default -> null;
        };
    }

    /**
     * Writes {@code text} as UTF-8 without allocating, stopping before a character that would
     * pass {@code maxBytes}.
     *
     * @return the bytes written
     */
    static int putUtf8(final MutableDirectBuffer buffer, final int at, final CharSequence text, final int maxBytes)
    {
        if (text == null)
        {
            return 0;
        }
        int out = 0;
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                if (out + 1 > maxBytes)
                {
                    break;
                }
                buffer.putByte(at + out++, (byte)c);
            }
            else if (c < 0x800)
            {
                if (out + 2 > maxBytes)
                {
                    break;
                }
                buffer.putByte(at + out++, (byte)(0xc0 | c >> 6));
                buffer.putByte(at + out++, (byte)(0x80 | c & 0x3f));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                if (out + 4 > maxBytes)
                {
                    break;
                }
                final int cp = Character.toCodePoint(c, text.charAt(++i));
                buffer.putByte(at + out++, (byte)(0xf0 | cp >> 18));
                buffer.putByte(at + out++, (byte)(0x80 | cp >> 12 & 0x3f));
                buffer.putByte(at + out++, (byte)(0x80 | cp >> 6 & 0x3f));
                buffer.putByte(at + out++, (byte)(0x80 | cp & 0x3f));
            }
            else
            {
                if (out + 3 > maxBytes)
                {
                    break;
                }
                final char bmp = Character.isSurrogate(c) ? '\ufffd' : c;
                buffer.putByte(at + out++, (byte)(0xe0 | bmp >> 12));
                buffer.putByte(at + out++, (byte)(0x80 | bmp >> 6 & 0x3f));
                buffer.putByte(at + out++, (byte)(0x80 | bmp & 0x3f));
            }
        }
        return out;
    }
}
