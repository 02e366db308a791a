package io.flashsale.journal.space;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Fills a file system with one file, as another program on the journal's disk would: for the
 * disk-full drill and tests. Deleting the file gives the room back. One thread.
 */
public final class DiskFiller
{
    private static final int CHUNK = 1 << 20;
    private static final int PAGE = 4096;

    private DiskFiller()
    {
    }

    /**
     * Appends to {@code file} until its file system has fewer than {@code leaveFreeBytes} usable
     * bytes, or none at all when it is 0 (then the last page is filled too).
     *
     * @return the bytes written
     */
    public static long fill(final Path file, final long leaveFreeBytes) throws IOException
    {
        final var store = Files.getFileStore(file.getParent());
        final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        long written = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND))
        {
            while (true)
            {
                final long free = store.getUsableSpace();
                if (leaveFreeBytes > 0 && free < leaveFreeBytes)
                {
                    return written;
                }
                chunk.clear();
                final long room = leaveFreeBytes > 0 ? free - leaveFreeBytes + PAGE : free;
                // The last steps a page at a time, so that a file system filled to the end really is.
                chunk.limit((int)Math.max(PAGE, Math.min(CHUNK, room)));
                try
                {
                    while (chunk.hasRemaining())
                    {
                        written += channel.write(chunk);
                    }
                }
                catch (final IOException ex)
                {
                    if (leaveFreeBytes == 0 && chunk.limit() == PAGE)
                    {
                        return written;
                    }
                    if (leaveFreeBytes > 0)
                    {
                        throw ex;
                    }
                }
            }
        }
    }
}
