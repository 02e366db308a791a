package io.flashsale.journal.feed;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.SyncPolicy;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalWriter;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a real journal the way the server does (engine outcome, then the record) from a seeded
 * mix of traffic over many sales and shoppers: purchases, repeated purchases, payments,
 * cancellations, ticks and clock jumps that make payment windows close. Keeps its engine, which
 * is the books the feed's database must equal. Or appends a given command stream.
 *
 * <p>Single-threaded.
 */
final class FeedWorkload implements AutoCloseable
{
    static final long T0 = 1_760_000_000_000L;

    private final SingleChronicleQueue queue;
    private final JournalWriter writer;
    private final SaleEngine engine = new SaleEngine(1 << 12, new SaleViews());
    private final Random random;
    private final List<long[]> reserved = new ArrayList<>(); // {orderId, userId}
    private final List<Long> sales = new ArrayList<>();
    private long now = T0;

    FeedWorkload(final Path dataDir, final long seed) throws IOException
    {
        this.queue = JournalQueues.openForWriting(dataDir.resolve(JournalConfig.QUEUE_FOLDER), RollCycles.FAST_DAILY);
        this.writer = new JournalWriter(queue, SyncPolicy.ASYNC, 0);
        this.random = new Random(seed);
    }

    /** Applies and journals one command; returns it with its outcome. */
    CommandEvent append(final CommandEvent command) throws IOException
    {
        engine.apply(command);
        writer.append(command);
        writer.endOfBatch();
        return command;
    }

    /** Journals {@code count} random commands. */
    void run(final int count) throws IOException
    {
        for (int i = 0; i < count; i++)
        {
            step();
        }
    }

    private void step() throws IOException
    {
        now += random.nextInt(20);
        final int dice = random.nextInt(100);
        if (sales.isEmpty() || dice < 2)
        {
            final CommandEvent sale = command(CommandType.CREATE_SALE);
            sale.stock = 50 + random.nextInt(500);
            sale.startsAt = now - 1_000;
            sale.endsAt = now + 3_600_000;
            sale.perUserLimit = 1 + random.nextInt(3);
            sale.paymentWindowMillis = 500 + random.nextInt(3_000);
            sale.setText("sale " + (sales.size() + 1) + " ✓");
            if (append(sale).outcome == Outcome.SALE_CREATED)
            {
                sales.add(sale.resultSaleId);
            }
        }
        else if (dice < 60 || reserved.isEmpty())
        {
            final CommandEvent purchase = command(CommandType.PURCHASE);
            purchase.saleId = sales.get(random.nextInt(sales.size()));
            purchase.userId = 1 + random.nextInt(2_000);
            purchase.qty = 1 + random.nextInt(2);
            purchase.idempotencyKey = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(3);
            purchase.setText(subjectOf(purchase.userId));
            if (append(purchase).outcome == Outcome.RESERVED)
            {
                reserved.add(new long[] {purchase.resultOrderId, purchase.userId});
            }
        }
        else if (dice < 80)
        {
            final long[] order = reserved.remove(random.nextInt(reserved.size()));
            final CommandEvent pay = command(CommandType.PAY);
            pay.orderId = order[0];
            pay.userId = order[1];
            pay.setText("psp-" + order[0]);
            append(pay);
        }
        else if (dice < 90)
        {
            final long[] order = reserved.remove(random.nextInt(reserved.size()));
            final CommandEvent cancel = command(CommandType.CANCEL);
            cancel.orderId = order[0];
            cancel.userId = order[1];
            append(cancel);
        }
        else
        {
            now += random.nextInt(10) == 0 ? 2_000 + random.nextInt(2_000) : random.nextInt(300);
            append(command(CommandType.TICK));
        }
    }

    /** The shop's id for a shopper, as the token's subject would carry it. */
    static String subjectOf(final long userId)
    {
        return "customer-" + userId + "@shop.example";
    }

    private CommandEvent command(final CommandType type)
    {
        final CommandEvent command = new CommandEvent();
        command.type = type;
        command.timestamp = now;
        return command;
    }

    SaleEngine engine()
    {
        return engine;
    }

    long lastSequence()
    {
        return writer.appendedSequence();
    }

    @Override
    public void close() throws IOException
    {
        writer.close();
        queue.close();
    }
}
