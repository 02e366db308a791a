package io.flashsale.journal;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.journal.codec.CommandCodec;
import io.flashsale.journal.queue.JournalQueues;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Dies in the middle of writing a journal record, the way a process killed at the wrong moment
 * does: the excerpt is opened, half of a sound record is written into it, and the JVM halts
 * without closing anything. Arguments: the queue folder, the sequence of the record.
 */
public final class TornWriteChild
{
    public static void main(final String[] args) throws Exception
    {
        final SingleChronicleQueue queue = JournalQueues.openForWriting(Path.of(args[0]), RollCycles.FAST_DAILY);
        final ExcerptAppender appender = queue.createAppender();
        final CommandEvent purchase = new CommandEvent();
        purchase.type = CommandType.PURCHASE;
        purchase.timestamp = System.currentTimeMillis();
        purchase.saleId = 1;
        purchase.userId = 4242;
        purchase.qty = 1;
        final CommandCodec codec = new CommandCodec();
        final int length = codec.encode(purchase, Long.parseLong(args[1]), CommandCodec.NO_RING_SEQUENCE);
        final DocumentContext dc = appender.writingDocument();
        dc.wire().bytes().write(codec.array(), 0, length / 2);
        Runtime.getRuntime().halt(137);
    }
}
