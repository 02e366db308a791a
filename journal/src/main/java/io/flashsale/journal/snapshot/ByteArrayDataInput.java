package io.flashsale.journal.snapshot;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * A {@link DataInput} over a byte array, reading what a {@link java.io.DataOutputStream} wrote,
 * without the per-call locking of the stream classes: recovery reads millions of orders through it.
 *
 * <p>Single-threaded.
 */
public final class ByteArrayDataInput implements DataInput
{
    private final ByteBuffer buffer;

    public ByteArrayDataInput(final byte[] bytes, final int offset, final int length)
    {
        this.buffer = ByteBuffer.wrap(bytes, offset, length); // big-endian, like DataOutputStream
    }

    public int remaining()
    {
        return buffer.remaining();
    }

    @Override
    public void readFully(final byte[] into) throws IOException
    {
        readFully(into, 0, into.length);
    }

    @Override
    public void readFully(final byte[] into, final int offset, final int length) throws IOException
    {
        try
        {
            buffer.get(into, offset, length);
        }
        catch (final BufferUnderflowException ex)
        {
            throw eof();
        }
    }

    @Override
    public int skipBytes(final int n)
    {
        final int skipped = Math.max(0, Math.min(n, buffer.remaining()));
        buffer.position(buffer.position() + skipped);
        return skipped;
    }

    @Override
    public boolean readBoolean() throws IOException
    {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws IOException
    {
        try
        {
            return buffer.get();
        }
        catch (final BufferUnderflowException ex)
        {
            throw eof();
        }
    }

    @Override
    public int readUnsignedByte() throws IOException
    {
        return readByte() & 0xff;
    }

    @Override
    public short readShort() throws IOException
    {
        try
        {
            return buffer.getShort();
        }
        catch (final BufferUnderflowException ex)
        {
            throw eof();
        }
    }

    @Override
    public int readUnsignedShort() throws IOException
    {
        return readShort() & 0xffff;
    }

    @Override
    public char readChar() throws IOException
    {
        return (char)readShort();
    }

    @Override
    public int readInt() throws IOException
    {
        try
        {
            return buffer.getInt();
        }
        catch (final BufferUnderflowException ex)
        {
            throw eof();
        }
    }

    @Override
    public long readLong() throws IOException
    {
        try
        {
            return buffer.getLong();
        }
        catch (final BufferUnderflowException ex)
        {
            throw eof();
        }
    }

    @Override
    public float readFloat() throws IOException
    {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException
    {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readLine()
    {
        throw new UnsupportedOperationException("snapshots hold no lines");
    }

    @Override
    public String readUTF() throws IOException
    {
        return DataInputStream.readUTF(this);
    }

    private static EOFException eof()
    {
        return new EOFException("snapshot ends early");
    }
}
