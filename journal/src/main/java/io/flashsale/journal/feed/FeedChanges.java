package io.flashsale.journal.feed;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.order.OrderTable;
import io.flashsale.engine.sale.Sale;
import org.agrona.collections.LongArrayQueue;

import java.util.Arrays;

/**
 * Turns each command, right after the feed's own engine applied it, into the rows it changes.
 * The engine's outcome says what the command itself did (a sale created, an order reserved, paid
 * or cancelled); the expiries a command's time causes are not in its outcome, so this class keeps,
 * per sale, the reserved orders in deadline order (the engine's own rule: one payment window per
 * sale, time never goes back) and looks at them whenever the engine time passes the earliest
 * deadline, exactly when the engine expires them.
 *
 * <p>An order row names who bought it with the subject the engine keeps for the shopper (the
 * token's subject, carried by purchase records; see {@code ShopperSubjects}), so the feed and the
 * admin's order view agree, and a feed resumed from a snapshot still knows the shoppers before it.
 * Old journals carry none and the subject is empty; a row keeps the shopper it was inserted with,
 * so a shopper first named by a later purchase stays unnamed on the rows written before.
 *
 * <p>Single-threaded: the feed's thread.
 */
final class FeedChanges
{
    private static final long NO_EXPIRY = Long.MAX_VALUE;

    private LongArrayQueue[] reservedBySale = new LongArrayQueue[16];
    private long nextExpiryAt = NO_EXPIRY;

    /** After a snapshot was loaded: the orders still reserved are the ones that can expire. */
    void rebuild(final SaleEngine engine)
    {
        Arrays.fill(reservedBySale, null);
        nextExpiryAt = NO_EXPIRY;
        final OrderTable orders = engine.orders();
        for (long orderId = 1; orderId <= orders.count(); orderId++)
        {
            if (orders.state(orderId) == OrderState.RESERVED)
            {
                track(orders.saleId(orderId), orderId, orders.deadline(orderId));
            }
        }
    }

    /**
     * Records what {@code command} (journal record {@code sequence}, just applied) changed into
     * {@code batch}; with a null batch only follows the state (replay up to the cursor).
     */
    void afterApply(final long sequence, final CommandEvent command, final SaleEngine engine, final FeedBatch batch)
    {
        final long now = engine.now();
        if (now >= nextExpiryAt)
        {
            expire(sequence, engine, batch);
        }
        switch (command.outcome)
        {
            case SALE_CREATED ->
            {
                if (batch != null)
                {
                    batch.sale(new FeedBatch.SaleRow(command.resultSaleId, command.textAsString(), command.stock, command.startsAt,
                        command.endsAt, command.perUserLimit, command.paymentWindowMillis, now, sequence));
                }
            }
            case RESERVED ->
            {
                track(command.resultSaleId, command.resultOrderId, command.resultDeadline);
                if (batch != null)
                {
                    final FeedBatch.OrderRow row = row(batch, command.resultOrderId, engine, sequence, "RESERVED", now);
                    row.reservedAt = now;
                    row.created = true;
                }
            }
            case PAID ->
            {
                if (batch != null)
                {
                    final FeedBatch.OrderRow row = row(batch, command.resultOrderId, engine, sequence, "PAID", now);
                    row.paidAt = now;
                    row.paymentRef = command.textAsString();
                    row.closedAt = now;
                }
            }
            case CANCELLED ->
            {
                if (batch != null)
                {
                    row(batch, command.resultOrderId, engine, sequence, "CANCELLED", now).closedAt = now;
                }
            }
            default ->
            {
            }
        }
        if (batch != null)
        {
            batch.covered(sequence, command.timestamp);
        }
    }

    private void track(final long saleId, final long orderId, final long deadline)
    {
        if (saleId >= reservedBySale.length)
        {
            reservedBySale = Arrays.copyOf(reservedBySale, (int)Math.max(saleId + 1, reservedBySale.length * 2L));
        }
        LongArrayQueue queue = reservedBySale[(int)saleId];
        if (queue == null)
        {
            queue = new LongArrayQueue(16, 0);
            reservedBySale[(int)saleId] = queue;
        }
        queue.addLong(orderId);
        nextExpiryAt = Math.min(nextExpiryAt, deadline);
    }

    /** The orders the engine expired while applying the current command (before its own effect). */
    private void expire(final long sequence, final SaleEngine engine, final FeedBatch batch)
    {
        final OrderTable orders = engine.orders();
        final long now = engine.now();
        long earliest = NO_EXPIRY;
        for (final LongArrayQueue queue : reservedBySale)
        {
            if (queue == null)
            {
                continue;
            }
            while (!queue.isEmpty())
            {
                final long orderId = queue.peekLong();
                final OrderState state = orders.state(orderId);
                if (state == OrderState.RESERVED)
                {
                    earliest = Math.min(earliest, orders.deadline(orderId));
                    break;
                }
                queue.pollLong();
                if (state == OrderState.EXPIRED && batch != null)
                {
                    row(batch, orderId, engine, sequence, "EXPIRED", now).closedAt = now;
                }
            }
        }
        nextExpiryAt = earliest;
    }

    /** The batch's row for an order, filled from the engine's order table and moved to {@code state}. */
    private FeedBatch.OrderRow row(final FeedBatch batch, final long orderId, final SaleEngine engine, final long sequence,
                                   final String state, final long now)
    {
        final OrderTable orders = engine.orders();
        final FeedBatch.OrderRow row = batch.order(orderId);
        if (row.journalSeq == 0)
        {
            // First change in this batch: the columns an insert needs (an update keeps the stored ones).
            final Sale sale = engine.sale(orders.saleId(orderId));
            row.saleId = sale.id;
            row.qty = orders.qty(orderId);
            row.paymentDeadline = orders.deadline(orderId);
            final long reservedAt = row.paymentDeadline - sale.paymentWindowMillis;
            row.reservedAt = row.paymentDeadline == Long.MAX_VALUE ? now : reservedAt;
            final String subject = engine.subjects().subjectOf(orders.userId(orderId));
            row.shopper = subject == null ? "" : subject;
        }
        row.state = state;
        row.journalSeq = sequence;
        batch.event(new FeedBatch.OrderEvent(orderId, sequence, state, now));
        return row;
    }
}
