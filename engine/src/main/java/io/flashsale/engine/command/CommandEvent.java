package io.flashsale.engine.command;

import io.flashsale.engine.order.OrderState;

import java.nio.charset.StandardCharsets;

/**
 * The one flat, mutable command that travels the ring. Producers fill the input fields, the
 * business thread fills the result fields, the reply stage hands the event to its listener.
 *
 * <p>Events are preallocated by the ring and reused: nothing here allocates in steady state.
 * A field that a command type does not use is zero.
 */
public final class CommandEvent
{
    /** Room for a sale name or a payment reference, in UTF-8 bytes. */
    public static final int MAX_TEXT_BYTES = 128;

    // ---- input: every command
    public CommandType type;
    /** Epoch milliseconds given to the command when it was published. The engine's only clock. */
    public long timestamp;

    /** The ring slot's sequence, set when published; -1 outside a ring (replay, tools). Diagnostic only. */
    public long ringSequence = -1;

    // ---- input: PURCHASE, PAY, CANCEL, QUERY_ORDER, INSPECT_ORDER
    public long saleId;
    public long userId;
    public long orderId;
    public int qty;
    /** A shopper's idempotency key for a purchase, hashed to 64 bits by the caller; 0 for none. */
    public long idempotencyKey;

    // ---- input: CREATE_SALE
    public long stock;
    public long startsAt;
    public long endsAt;
    public int perUserLimit;
    public long paymentWindowMillis;

    /**
     * Sale name (CREATE_SALE), payment reference (PAY) or the shopper's subject, the shop's own id
     * for the shopper that {@link #userId} hashes (PURCHASE; journaled; a reserving purchase names its shopper to the engine), UTF-8.
     */
    private final byte[] text = new byte[MAX_TEXT_BYTES];
    private int textLength;

    // ---- result, written by the business thread
    public Outcome outcome = Outcome.PENDING;
    public long resultOrderId;
    public long resultSaleId;
    public long resultUserId;
    public int resultQty;
    public long resultDeadline;
    public OrderState resultOrderState;
    /**
     * INSPECT_ORDER: the reservation time (the engine clock when the order was made), and the
     * shopper's subject, null when no purchase named them. The string is the engine's own: shared, never copied.
     */
    public long resultReservedAt;
    public String resultSubject;
    /** Set by the journal stage when it could not record this command. */
    public boolean journalFailed;
    /** Set by the ack gate when the standby was lost before acknowledging this command. */
    public boolean notReplicated;
    /**
     * Set by the replication stage: the journal sequence the standby must have acknowledged before
     * this command's reply leaves (the last one sent up to and including this command).
     */
    public long awaitedAck;

    // ---- reply routing, never journaled
    public ReplyListener replyListener;
    public Object attachment;
    /** A number the publisher gets back with the reply (the link's correlation id), so routing needs no object per command. */
    public long replyTag;

    /** Resets every field so that a reused event carries nothing from its previous command. */
    public void clear()
    {
        type = null;
        timestamp = 0;
        ringSequence = -1;
        saleId = 0;
        userId = 0;
        orderId = 0;
        qty = 0;
        idempotencyKey = 0;
        stock = 0;
        startsAt = 0;
        endsAt = 0;
        perUserLimit = 0;
        paymentWindowMillis = 0;
        textLength = 0;
        clearResult();
        journalFailed = false;
        notReplicated = false;
        awaitedAck = 0;
        replyListener = null;
        attachment = null;
        replyTag = 0;
    }

    /** Resets the result fields; the journal's flag is not a result and is left alone. */
    public void clearResult()
    {
        outcome = Outcome.PENDING;
        resultOrderId = 0;
        resultSaleId = 0;
        resultUserId = 0;
        resultQty = 0;
        resultDeadline = 0;
        resultOrderState = null;
        resultReservedAt = 0;
        resultSubject = null;
    }

    /** Copies the input fields (not the result, not the routing) of another event. */
    public void copyInputFrom(final CommandEvent other)
    {
        type = other.type;
        timestamp = other.timestamp;
        saleId = other.saleId;
        userId = other.userId;
        orderId = other.orderId;
        qty = other.qty;
        idempotencyKey = other.idempotencyKey;
        stock = other.stock;
        startsAt = other.startsAt;
        endsAt = other.endsAt;
        perUserLimit = other.perUserLimit;
        paymentWindowMillis = other.paymentWindowMillis;
        System.arraycopy(other.text, 0, text, 0, other.textLength);
        textLength = other.textLength;
    }

    /**
     * Sets the text field. ASCII is copied without allocating; other text is encoded as UTF-8.
     *
     * @throws IllegalArgumentException when the text needs more than {@link #MAX_TEXT_BYTES} bytes
     */
    public void setText(final CharSequence value)
    {
        if (value == null)
        {
            textLength = 0;
            return;
        }
        final int length = value.length();
        int i = 0;
        while (i < length && i < MAX_TEXT_BYTES)
        {
            final char c = value.charAt(i);
            if (c >= 0x80)
            {
                break;
            }
            text[i++] = (byte)c;
        }
        if (i == length)
        {
            textLength = length;
            return;
        }
        final byte[] utf8 = value.toString().getBytes(StandardCharsets.UTF_8);
        setText(utf8, 0, utf8.length);
    }

    public void setText(final byte[] source, final int offset, final int length)
    {
        if (length > MAX_TEXT_BYTES)
        {
            throw new IllegalArgumentException("text longer than " + MAX_TEXT_BYTES + " bytes");
        }
        System.arraycopy(source, offset, text, 0, length);
        textLength = length;
    }

    public int textLength()
    {
        return textLength;
    }

    /** The backing bytes; only the first {@link #textLength()} are meaningful. */
    public byte[] textBytes()
    {
        return text;
    }

    /** Allocates: for cold paths (sale creation, tools, tests). */
    public String textAsString()
    {
        return new String(text, 0, textLength, StandardCharsets.UTF_8);
    }

    /** 64-bit FNV-1a of the text, for storing a payment reference without allocating. */
    public long textHash()
    {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < textLength; i++)
        {
            hash ^= text[i] & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    @Override
    public String toString()
    {
        return "CommandEvent{" + type + " ts=" + timestamp + " sale=" + saleId + " user=" + userId +
            " order=" + orderId + " qty=" + qty + " key=" + idempotencyKey + " -> " + outcome +
            " order=" + resultOrderId + " deadline=" + resultDeadline + '}';
    }
}
