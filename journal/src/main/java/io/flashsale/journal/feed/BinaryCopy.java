package io.flashsale.journal.feed;

import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * One {@code COPY ... FROM STDIN (FORMAT binary)} at a time: rows are encoded field by field in
 * PostgreSQL's binary copy format into a reused buffer that goes to the server whenever it fills,
 * so the server parses no text and the client builds no arrays. Times are epoch milliseconds,
 * sent as {@code timestamptz} exactly as the schema's {@code feed_time} converts them.
 *
 * <p>Single-threaded: the feed-writer thread.
 */
final class BinaryCopy
{
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte)0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps, in Unix epoch milliseconds. */
    private static final long POSTGRES_EPOCH_MILLIS = 946_684_800_000L;
    /** The bounds {@code feed_time} maps to 'infinity' and '-infinity'. */
    private static final long INFINITY_ABOVE_MILLIS = 9_000_000_000_000_000L;
    private static final long MINUS_INFINITY_BELOW_MILLIS = -200_000_000_000_000L;

    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    private CopyIn copy;

    /** Starts a COPY ({@code sql} ends with {@code FROM STDIN (FORMAT binary)}). */
    void start(final CopyManager manager, final String sql) throws SQLException
    {
        copy = manager.copyIn(sql);
        buffer.clear();
        buffer.put(HEADER);
    }

    void row(final int fields) throws SQLException
    {
        room(2);
        buffer.putShort((short)fields);
    }

    void int8(final long value) throws SQLException
    {
        room(12);
        buffer.putInt(8).putLong(value);
    }

    void int4(final int value) throws SQLException
    {
        room(8);
        buffer.putInt(4).putInt(value);
    }

    /** A {@code text} field; null for SQL NULL. */
    void text(final String value) throws SQLException
    {
        if (value == null)
        {
            nullField();
            return;
        }
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        room(4);
        buffer.putInt(bytes.length);
        if (bytes.length > buffer.remaining())
        {
            flush();
            copy.writeToCopy(bytes, 0, bytes.length);
            return;
        }
        buffer.put(bytes);
    }

    /** A {@code timestamptz} field from epoch milliseconds; {@link FeedBatch#NONE} for SQL NULL. */
    void timestamp(final long millis) throws SQLException
    {
        if (millis == FeedBatch.NONE)
        {
            nullField();
            return;
        }
        final long micros;
        if (millis > INFINITY_ABOVE_MILLIS)
        {
            micros = Long.MAX_VALUE;
        }
        else if (millis < MINUS_INFINITY_BELOW_MILLIS)
        {
            micros = Long.MIN_VALUE;
        }
        else
        {
            micros = (millis - POSTGRES_EPOCH_MILLIS) * 1000;
        }
        int8(micros);
    }

    void nullField() throws SQLException
    {
        room(4);
        buffer.putInt(-1);
    }

    /** Ends the COPY. @return the rows the server took */
    long finish() throws SQLException
    {
        room(2);
        buffer.putShort((short)-1);
        flush();
        final CopyIn done = copy;
        copy = null;
        return done.endCopy();
    }

    /** Abandons a COPY that failed half-way, so the connection can roll back. */
    void abandon()
    {
        if (copy != null && copy.isActive())
        {
            try
            {
                copy.cancelCopy();
            }
            catch (final SQLException ignored)
            {
                // The connection is gone or the copy already ended; the rollback follows either way.
            }
        }
        copy = null;
    }

    private void room(final int bytes) throws SQLException
    {
        if (buffer.remaining() < bytes)
        {
            flush();
        }
    }

    private void flush() throws SQLException
    {
        if (buffer.position() > 0)
        {
            copy.writeToCopy(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
