package io.flashsale.journal.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A {@link DataOutput} into a growing byte array, with the same bytes as a
 * {@link DataOutputStream} (big-endian, modified UTF-8) but without its per-call locking: the
 * snapshot writer thread serialises millions of orders of a cut through it (the business thread
 * only cuts), next to the IO threads, so each call should cost as little as it can.
 *
 * <p>Single-threaded.
 */
public final class ByteArrayDataOutput implements DataOutput
{
    private byte[] bytes;
    private int length;

    public ByteArrayDataOutput(final int initialCapacity)
    {
        this.bytes = new byte[Math.max(64, initialCapacity)];
    }

    /** The backing array; the first {@link #length()} bytes are the output. */
    public byte[] array()
    {
        return bytes;
    }

    public int length()
    {
        return length;
    }

    private void ensure(final int extra)
    {
        final int needed = length + extra;
        if (needed < 0)
        {
            throw new IllegalStateException("snapshot larger than 2 GiB");
        }
        if (needed > bytes.length)
        {
            final long grown = Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, bytes.length * 2L));
            bytes = Arrays.copyOf(bytes, (int)grown);
        }
    }

    @Override
    public void write(final int b)
    {
        ensure(1);
        bytes[length++] = (byte)b;
    }

    @Override
    public void write(final byte[] source)
    {
        write(source, 0, source.length);
    }

    @Override
    public void write(final byte[] source, final int offset, final int count)
    {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    @Override
    public void writeBoolean(final boolean v)
    {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(final int v)
    {
        write(v);
    }

    @Override
    public void writeShort(final int v)
    {
        ensure(2);
        bytes[length++] = (byte)(v >>> 8);
        bytes[length++] = (byte)v;
    }

    @Override
    public void writeChar(final int v)
    {
        writeShort(v);
    }

    @Override
    public void writeInt(final int v)
    {
        ensure(4);
        bytes[length++] = (byte)(v >>> 24);
        bytes[length++] = (byte)(v >>> 16);
        bytes[length++] = (byte)(v >>> 8);
        bytes[length++] = (byte)v;
    }

    @Override
    public void writeLong(final long v)
    {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            bytes[length++] = (byte)(v >>> shift);
        }
    }

    @Override
    public void writeFloat(final float v)
    {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(final double v)
    {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(final String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            write(s.charAt(i));
        }
    }

    @Override
    public void writeChars(final String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            writeChar(s.charAt(i));
        }
    }

    /** Sale names only, a handful per snapshot: the JDK's encoder is fine here. */
    @Override
    public void writeUTF(final String s)
    {
        final ByteArrayOutputStream utf = new ByteArrayOutputStream(s.length() + 2);
        try
        {
            new DataOutputStream(utf).writeUTF(s);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        write(utf.toByteArray());
    }
}
