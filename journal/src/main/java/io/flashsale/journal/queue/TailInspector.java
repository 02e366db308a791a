package io.flashsale.journal.queue;

import net.openhft.chronicle.wire.Wires;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Looks at the bytes after the last complete excerpt of a cycle file for the remains of a write
 * that never finished.
 *
 * <p>Chronicle frames each excerpt with a 4-byte header (length, metadata bit, not-complete bit),
 * 4-byte aligned, and writes the header of a data excerpt when the excerpt is closed. A writer
 * killed in the middle of an excerpt therefore leaves a zero or not-complete header followed by
 * bytes that are not zero; a clean end is a zero header followed by zeros (or the end-of-cycle
 * marker). This class tells the two apart without Chronicle, from the file itself, and can zero the
 * remains when an operator asked for it.
 *
 * <p>Stateless; any thread. Run it before an appender is created on the queue.
 */
public final class TailInspector
{
    /** How far past the end to look for leftover bytes; far beyond the longest excerpt the journal writes. */
    static final int LOOK_AHEAD_BYTES = 1 << 20;
    /** This many zero bytes in a row end the leftover region. */
    private static final int ZERO_RUN_BYTES = 64 << 10;

    /** What follows the last complete excerpt. */
    public enum Kind
    {
        CLEAN,
        /** An unfinished write: a zero or not-complete header with bytes after it. */
        TORN,
        /** A complete data excerpt that the tailer did not read: the queue's framing is damaged. */
        UNREAD_EXCERPT
    }

    /** The verdict for one file. {@code offset} is where the tail starts, {@code end} where the leftover bytes stop. */
    public record Tail(Kind kind, File file, long offset, long end, String detail)
    {
        public boolean clean()
        {
            return kind == Kind.CLEAN;
        }
    }

    private TailInspector()
    {
    }

    /**
     * Inspects {@code file} from {@code offset}, the end of its last complete data excerpt (or 0
     * to walk the file from its first header).
     */
    public static Tail inspect(final File file, final long offset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ))
        {
            final long size = channel.size();
            long at = align(offset);
            final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (at + 4 <= size)
            {
                header.clear();
                channel.read(header, at);
                final int value = header.getInt(0);
                if (value == Wires.END_OF_DATA)
                {
                    return new Tail(Kind.CLEAN, file, at, at, "end-of-cycle marker");
                }
                if (value == 0)
                {
                    final long leftoverEnd = leftoverEnd(channel, at + 4, size);
                    return leftoverEnd < 0
                        ? new Tail(Kind.CLEAN, file, at, at, "zero header followed by zeros")
                        : new Tail(Kind.TORN, file, at, leftoverEnd,
                            "unfinished write: zero header at offset " + at + " followed by " + (leftoverEnd - at - 4) + " bytes of an excerpt that was never completed");
                }
                if ((value & Wires.NOT_COMPLETE) != 0)
                {
                    final long leftoverEnd = Math.max(at + 4, leftoverEnd(channel, at + 4, size));
                    return new Tail(Kind.TORN, file, at, leftoverEnd,
                        String.format("unfinished write: not-complete header %08x at offset %d", value, at));
                }
                final int length = value & Wires.LENGTH_MASK;
                if ((value & Wires.META_DATA) == 0)
                {
                    return new Tail(Kind.UNREAD_EXCERPT, file, at, align(at + 4 + length),
                        "a complete excerpt of " + length + " bytes at offset " + at + " that the queue cannot read");
                }
                at = align(at + 4 + length);
            }
            return new Tail(Kind.CLEAN, file, at, at, "end of file");
        }
    }

    /**
     * Zeroes the leftover bytes of a torn write so that Chronicle appends over clean space and no
     * reader can mistake them for a header. Forces the change to disk.
     */
    public static void zero(final Tail tail) throws IOException
    {
        if (tail.kind() != Kind.TORN)
        {
            throw new IllegalArgumentException("only a torn tail is zeroed, not " + tail.kind());
        }
        try (FileChannel channel = FileChannel.open(tail.file().toPath(), StandardOpenOption.WRITE))
        {
            final ByteBuffer zeros = ByteBuffer.allocate(64 << 10);
            long at = tail.offset();
            while (at < tail.end())
            {
                zeros.clear().limit((int)Math.min(zeros.capacity(), tail.end() - at));
                at += channel.write(zeros, at);
            }
            channel.force(false);
        }
    }

    /**
     * Copies the leftover bytes of a torn write into {@code folder} (created when missing) before
     * they are zeroed, so that what was cut can still be looked at.
     *
     * @return the copy: {@code <cycle file>.torn-at-<offset>}
     */
    public static Path quarantine(final Tail tail, final Path folder) throws IOException
    {
        Files.createDirectories(folder);
        final Path copy = folder.resolve(tail.file().getName() + ".torn-at-" + tail.offset());
        try (FileChannel from = FileChannel.open(tail.file().toPath(), StandardOpenOption.READ);
             FileChannel to = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            long at = tail.offset();
            while (at < tail.end())
            {
                final long copied = from.transferTo(at, tail.end() - at, to);
                if (copied <= 0)
                {
                    break;
                }
                at += copied;
            }
            to.force(false);
        }
        return copy;
    }

    /** The end of the last non-zero byte within the look-ahead window, or -1 when all are zero. */
    private static long leftoverEnd(final FileChannel channel, final long from, final long size) throws IOException
    {
        final long limit = Math.min(size, from + LOOK_AHEAD_BYTES);
        final ByteBuffer chunk = ByteBuffer.allocate(8 << 10);
        long lastNonZero = -1;
        long at = from;
        while (at < limit)
        {
            chunk.clear().limit((int)Math.min(chunk.capacity(), limit - at));
            final int read = channel.read(chunk, at);
            if (read <= 0)
            {
                break;
            }
            for (int i = 0; i < read; i++)
            {
                if (chunk.get(i) != 0)
                {
                    lastNonZero = at + i;
                }
            }
            at += read;
            if (lastNonZero >= 0 && at - lastNonZero > ZERO_RUN_BYTES)
            {
                break;
            }
            if (lastNonZero < 0 && at - from > ZERO_RUN_BYTES)
            {
                break;
            }
        }
        return lastNonZero < 0 ? -1 : align(lastNonZero + 1);
    }

    private static long align(final long offset)
    {
        return (offset + 3) & ~3L;
    }
}
