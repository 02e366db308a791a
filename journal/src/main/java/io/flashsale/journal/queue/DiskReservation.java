package io.flashsale.journal.queue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Gives the journal's cycle file its disk blocks a few MiB ahead of the record being written, with
 * ordinary writes of zeros. Chronicle writes through a memory map of a sparse file: on a full file
 * system the kernel cannot back a new page, the write faults (SIGBUS), and the JVM raises an
 * {@link InternalError} later, at a point of its choosing, possibly after the command was answered.
 * A write of zeros fails at once with an {@link IOException} ("No space left on device") on the
 * journal thread, before the record it makes room for is written: the command is refused, never
 * acknowledged, and the journal holds no torn record.
 *
 * <p>Only bytes past the write position are zeroed, where nothing is written yet, so a reader sees
 * what it would see in the sparse file. One write of {@link #AHEAD} bytes every ~4 MiB of journal:
 * about once per 50,000 commands. Journal thread only.
 */
final class DiskReservation implements AutoCloseable
{
    /** How far ahead of the write position blocks are allocated. */
    static final long AHEAD = 4L << 20;
    /**
     * Reserve again when fewer than this many bytes are left ahead: more than a record plus one
     * of Chronicle's index arrays (4,096 entries of 8 bytes), which it writes between records.
     */
    static final long MARGIN = 1L << 20;

    private final ByteBuffer zeros = ByteBuffer.allocateDirect(256 << 10);
    private File file;
    private FileChannel channel;
    private long reservedEnd;

    /**
     * Makes sure the blocks of {@code file} from {@code position} to at least {@code position +
     * MARGIN} exist.
     *
     * @param position where the next record's bytes go (nothing is written at or past it yet)
     * @throws IOException when the file system cannot give them (full, failing)
     */
    void ensure(final File current, final long position) throws IOException
    {
        if (current != file && !current.equals(file))
        {
            closeChannel();
            channel = FileChannel.open(current.toPath(), StandardOpenOption.WRITE);
            file = current;
            reservedEnd = 0;
        }
        if (position + MARGIN <= reservedEnd)
        {
            return;
        }
        final long end = position + AHEAD;
        long at = Math.max(reservedEnd, position);
        while (at < end)
        {
            zeros.clear();
            zeros.limit((int)Math.min(zeros.capacity(), end - at));
            at += channel.write(zeros, at);
        }
        reservedEnd = end;
    }

    /** How far the current file's blocks are allocated (for tests). */
    long reservedEnd()
    {
        return reservedEnd;
    }

    @Override
    public void close() throws IOException
    {
        closeChannel();
        file = null;
    }

    private void closeChannel() throws IOException
    {
        if (channel != null)
        {
            final FileChannel open = channel;
            channel = null;
            open.close();
        }
    }
}
