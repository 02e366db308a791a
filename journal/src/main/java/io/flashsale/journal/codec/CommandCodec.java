package io.flashsale.journal.codec;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The journal's record format: one journaled command as a compact, checksummed, little-endian
 * byte record. A record is the whole body of one Chronicle excerpt.
 *
 * <pre>
 *   0  int   CRC32C of bytes [4, length)
 *   4  byte  format version (2; version 1 records are still read)
 *   5  byte  command type code ({@link CommandType#code()})
 *   6  long  journal sequence: 1, 2, 3... without gaps; equals the engine's appliedCount after it
 *  14  long  ring sequence, or -1 when the journal port was not told it
 *  22  long  timestamp, epoch millis (the engine's only clock)
 *  30  body, by type:
 *      CREATE_SALE  long stock, long startsAt, long endsAt, int perUserLimit,
 *                   long paymentWindowMillis, ubyte nameLength, name (UTF-8)
 *      PURCHASE     long saleId, long userId, int qty, long idempotencyKey,
 *                   ubyte subjectLength, subject (UTF-8; version 2 only)
 *      PAY          long orderId, long userId, ubyte refLength, paymentRef (UTF-8)
 *      CANCEL       long orderId, long userId
 *      TICK         (nothing)
 * </pre>
 *
 * <p>The subject of a purchase is the shop's own id for the shopper (the token's subject), which
 * {@code userId} only hashes: with it the journal says who bought each order. Version 1 records
 * (journals written before version 2) carry none and decode with an empty subject.
 *
 * <p>Decoding checks the checksum, the version, the type and the exact length, so a flipped bit
 * or a half-written record is reported, never applied. Only the input fields of a command are
 * recorded: the result is recomputed by replay, because the engine is deterministic.
 *
 * <p>Not thread-safe: one instance per thread. Steady state allocates nothing.
 */
public final class CommandCodec
{
    public static final byte FORMAT_VERSION = 2;
    /** The first format: purchases without the shopper's subject. Read, never written. */
    public static final byte FORMAT_VERSION_1 = 1;
    public static final int HEADER_LENGTH = 30;
    /** Ring sequence written when the journal port does not know it. */
    public static final long NO_RING_SEQUENCE = -1;
    /** The longest record: a sale creation with the longest name. */
    public static final int MAX_RECORD_LENGTH = HEADER_LENGTH + 37 + CommandEvent.MAX_TEXT_BYTES;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int OFFSET_CRC = 0;
    private static final int OFFSET_VERSION = 4;
    private static final int OFFSET_TYPE = 5;
    private static final int OFFSET_SEQUENCE = 6;
    private static final int OFFSET_RING_SEQUENCE = 14;
    private static final int OFFSET_TIMESTAMP = 22;

    private final byte[] array = new byte[MAX_RECORD_LENGTH];
    private final UnsafeBuffer buffer = new UnsafeBuffer(array);
    private final CRC32C crc = new CRC32C();

    private long sequence;
    private long ringSequence;
    private int checksum;
    private String error;

    /** The bytes of the last encoded record, or where a record to decode is copied to. */
    public byte[] array()
    {
        return array;
    }

    /**
     * Encodes the input fields of a journaled command into {@link #array()}.
     *
     * @return the record length
     * @throws IllegalArgumentException for a command type that is not journaled
     */
    public int encode(final CommandEvent command, final long journalSequence, final long ringSeq)
    {
        final CommandType type = command.type;
        buffer.putByte(OFFSET_VERSION, FORMAT_VERSION);
        buffer.putByte(OFFSET_TYPE, type.code());
        buffer.putLong(OFFSET_SEQUENCE, journalSequence, ORDER);
        buffer.putLong(OFFSET_RING_SEQUENCE, ringSeq, ORDER);
        buffer.putLong(OFFSET_TIMESTAMP, command.timestamp, ORDER);
        int at = HEADER_LENGTH;
        switch (type)
        {
            case CREATE_SALE ->
            {
                buffer.putLong(at, command.stock, ORDER);
                buffer.putLong(at + 8, command.startsAt, ORDER);
                buffer.putLong(at + 16, command.endsAt, ORDER);
                buffer.putInt(at + 24, command.perUserLimit, ORDER);
                buffer.putLong(at + 28, command.paymentWindowMillis, ORDER);
                at = putText(at + 36, command);
            }
            case PURCHASE ->
            {
                buffer.putLong(at, command.saleId, ORDER);
                buffer.putLong(at + 8, command.userId, ORDER);
                buffer.putInt(at + 16, command.qty, ORDER);
                buffer.putLong(at + 20, command.idempotencyKey, ORDER);
                at = putText(at + 28, command);
            }
            case PAY ->
            {
                buffer.putLong(at, command.orderId, ORDER);
                buffer.putLong(at + 8, command.userId, ORDER);
                at = putText(at + 16, command);
            }
            case CANCEL ->
            {
                buffer.putLong(at, command.orderId, ORDER);
                buffer.putLong(at + 8, command.userId, ORDER);
                at += 16;
            }
            case TICK ->
            {
            }
            default -> throw new IllegalArgumentException(type + " is not journaled");
        }
        buffer.putInt(OFFSET_CRC, checksum(at), ORDER);
        return at;
    }

    private int putText(final int at, final CommandEvent command)
    {
        final int length = command.textLength();
        buffer.putByte(at, (byte)length);
        buffer.putBytes(at + 1, command.textBytes(), 0, length);
        return at + 1 + length;
    }

    /**
     * Decodes the record of {@code length} bytes at the start of {@link #array()} into the input
     * fields of {@code into} (clearing everything else).
     *
     * @return true when the record is sound; false with {@link #error()} saying what is wrong
     */
    public boolean decode(final int length, final CommandEvent into)
    {
        error = null;
        if (length < HEADER_LENGTH || length > MAX_RECORD_LENGTH)
        {
            return fail("record length " + length + " outside " + HEADER_LENGTH + ".." + MAX_RECORD_LENGTH);
        }
        final int stored = buffer.getInt(OFFSET_CRC, ORDER);
        final int computed = checksum(length);
        if (stored != computed)
        {
            return fail(String.format("checksum mismatch (stored %08x, computed %08x)", stored, computed));
        }
        final byte version = buffer.getByte(OFFSET_VERSION);
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_1)
        {
            return fail("unknown record format version " + version);
        }
        final byte code = buffer.getByte(OFFSET_TYPE);
        final CommandType type = CommandType.fromCode(code);
        if (type == null || !type.isJournaled())
        {
            return fail("command type code " + code + " is not a journaled command");
        }
        sequence = buffer.getLong(OFFSET_SEQUENCE, ORDER);
        checksum = stored;
        ringSequence = buffer.getLong(OFFSET_RING_SEQUENCE, ORDER);
        into.clear();
        into.type = type;
        into.timestamp = buffer.getLong(OFFSET_TIMESTAMP, ORDER);
        final int at = HEADER_LENGTH;
        final int end;
        switch (type)
        {
            case CREATE_SALE ->
            {
                if (length < at + 37)
                {
                    return fail("CREATE_SALE record too short: " + length);
                }
                into.stock = buffer.getLong(at, ORDER);
                into.startsAt = buffer.getLong(at + 8, ORDER);
                into.endsAt = buffer.getLong(at + 16, ORDER);
                into.perUserLimit = buffer.getInt(at + 24, ORDER);
                into.paymentWindowMillis = buffer.getLong(at + 28, ORDER);
                end = getText(at + 36, length, into);
            }
            case PURCHASE ->
            {
                into.saleId = buffer.getLong(at, ORDER);
                into.userId = buffer.getLong(at + 8, ORDER);
                into.qty = buffer.getInt(at + 16, ORDER);
                into.idempotencyKey = buffer.getLong(at + 20, ORDER);
                end = version == FORMAT_VERSION_1 ? at + 28 : length < at + 29 ? -1 : getText(at + 28, length, into);
            }
            case PAY ->
            {
                if (length < at + 17)
                {
                    return fail("PAY record too short: " + length);
                }
                into.orderId = buffer.getLong(at, ORDER);
                into.userId = buffer.getLong(at + 8, ORDER);
                end = getText(at + 16, length, into);
            }
            case CANCEL ->
            {
                into.orderId = buffer.getLong(at, ORDER);
                into.userId = buffer.getLong(at + 8, ORDER);
                end = at + 16;
            }
            default -> end = at;
        }
        if (end < 0)
        {
            return fail(type + " record's text length runs past its " + length + " bytes");
        }
        if (end != length)
        {
            return fail(type + " record is " + length + " bytes, its fields take " + end);
        }
        return true;
    }

    /** @return the end of the text, or -1 when its length does not fit the record */
    private int getText(final int at, final int length, final CommandEvent into)
    {
        final int textLength = buffer.getByte(at) & 0xff;
        if (textLength > CommandEvent.MAX_TEXT_BYTES || at + 1 + textLength > length)
        {
            return -1;
        }
        into.setText(array, at + 1, textLength);
        return at + 1 + textLength;
    }

    private int checksum(final int length)
    {
        crc.reset();
        crc.update(array, OFFSET_VERSION, length - OFFSET_VERSION);
        return (int)crc.getValue();
    }

    private boolean fail(final String why)
    {
        error = why;
        return false;
    }

    /** The journal sequence of the last record decoded. */
    public long sequence()
    {
        return sequence;
    }

    /** The CRC32C of the last record decoded: with its sequence and timestamp, the record's identity. */
    public int checksum()
    {
        return checksum;
    }

    /** The ring sequence of the last record decoded, or {@link #NO_RING_SEQUENCE}. */
    public long ringSequence()
    {
        return ringSequence;
    }

    /** What was wrong with the last record that failed to decode. */
    public String error()
    {
        return error;
    }
}
