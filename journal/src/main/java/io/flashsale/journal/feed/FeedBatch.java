package io.flashsale.journal.feed;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows a run of consecutive journal records changes, ready to be written in one transaction
 * with the cursor: the sales created, each touched order once in its latest state, and every
 * order state change in journal order.
 *
 * <p>Filled by the feed's thread, then handed to the writer thread (a happens-before handover through
 * its executor) and back. Reused from batch to batch.
 */
final class FeedBatch
{
    /** A sale as created by its CREATE_SALE record. */
    record SaleRow(long saleId, String name, long stock, long startsAt, long endsAt, int perUserLimit, long paymentWindowMillis,
                   long createdAt, long journalSeq)
    {
    }

    /** An order in its state after the batch's last change to it; times in epoch millis, {@link #NONE} for none. */
    static final class OrderRow
    {
        long orderId;
        long saleId;
        String shopper;
        int qty;
        String state;
        long reservedAt;
        long paymentDeadline;
        long paidAt = NONE;
        String paymentRef;
        long closedAt = NONE;
        long journalSeq;
        /** Reserved in this batch: not in the database yet, a plain insert. */
        boolean created;
    }

    /** One state change of one order. */
    record OrderEvent(long orderId, long journalSeq, String state, long at)
    {
    }

    /** An absent time. */
    static final long NONE = Long.MIN_VALUE;

    private final List<SaleRow> sales = new ArrayList<>();
    private final Long2ObjectHashMap<OrderRow> ordersById = new Long2ObjectHashMap<>();
    private final List<OrderRow> orders = new ArrayList<>();
    private final List<OrderEvent> events = new ArrayList<>();
    private long firstSequence;
    private long lastSequence;
    private long lastTimestamp;
    private int records;
    private long[] timestamps = new long[1024];
    /** When the batch was committed (wall clock, ms); set by the writer, read after the handover. */
    long committedAtMillis;

    /** Notes one more journal record covered by the batch (with or without rows). */
    void covered(final long sequence, final long timestamp)
    {
        if (records == 0)
        {
            firstSequence = sequence;
        }
        if (records == timestamps.length)
        {
            timestamps = java.util.Arrays.copyOf(timestamps, records * 2);
        }
        timestamps[records++] = timestamp;
        lastSequence = sequence;
        lastTimestamp = timestamp;
    }

    void sale(final SaleRow row)
    {
        sales.add(row);
    }

    /** The row of an order, created (blank) on its first change in this batch. */
    OrderRow order(final long orderId)
    {
        OrderRow row = ordersById.get(orderId);
        if (row == null)
        {
            row = new OrderRow();
            row.orderId = orderId;
            ordersById.put(orderId, row);
            orders.add(row);
        }
        return row;
    }

    void event(final OrderEvent event)
    {
        events.add(event);
    }

    void clear()
    {
        sales.clear();
        ordersById.clear();
        orders.clear();
        events.clear();
        records = 0;
        firstSequence = 0;
        lastSequence = 0;
        lastTimestamp = 0;
    }

    boolean isEmpty()
    {
        return records == 0;
    }

    int records()
    {
        return records;
    }

    /** The timestamp of the i-th record covered, for lag figures. */
    long timestamp(final int i)
    {
        return timestamps[i];
    }

    long firstSequence()
    {
        return firstSequence;
    }

    long lastSequence()
    {
        return lastSequence;
    }

    long lastTimestamp()
    {
        return lastTimestamp;
    }

    List<SaleRow> sales()
    {
        return sales;
    }

    List<OrderRow> orders()
    {
        return orders;
    }

    List<OrderEvent> events()
    {
        return events;
    }
}
