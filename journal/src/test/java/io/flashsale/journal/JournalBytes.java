package io.flashsale.journal;

import io.flashsale.journal.queue.JournalQueues;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Damages journal records on disk the way a bad disk or a bug would, for recovery tests. */
public final class JournalBytes
{
    /** Where the n-th record (1-based, in queue order) sits in its cycle file. */
    public record Location(File file, long offset, long length, long index)
    {
    }

    private JournalBytes()
    {
    }

    static Location locate(final Path queueDir, final long nth) throws IOException
    {
        try (SingleChronicleQueue queue = JournalQueues.openForReading(queueDir);
             ExcerptTailer tailer = queue.createTailer())
        {
            for (long i = 1; ; i++)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        throw new IllegalArgumentException("the journal has only " + (i - 1) + " records");
                    }
                    if (i == nth)
                    {
                        final MappedBytes bytes = (MappedBytes)dc.wire().bytes();
                        return new Location(bytes.mappedFile().file(), bytes.readPosition(), bytes.readRemaining(), dc.index());
                    }
                }
            }
        }
    }

    static long count(final Path queueDir) throws IOException
    {
        try (SingleChronicleQueue queue = JournalQueues.openForReading(queueDir);
             ExcerptTailer tailer = queue.createTailer())
        {
            long count = 0;
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return count;
                    }
                    count++;
                }
            }
        }
    }

    /** Flips every bit of one byte of the n-th record's body. */
    static Location flipByte(final Path queueDir, final long nth, final int byteInRecord) throws IOException
    {
        final Location location = locate(queueDir, nth);
        try (FileChannel channel = FileChannel.open(location.file().toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, location.offset() + byteInRecord);
            one.put(0, (byte)~one.get(0)).rewind();
            channel.write(one, location.offset() + byteInRecord);
        }
        return location;
    }
}
