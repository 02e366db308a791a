package io.flashsale.bench.drill.crash;

/**
 * One order the server acknowledged to the drill's client (201 RESERVED), and what the client was
 * told and asked about it since. The server must still hold it after any crash, in a state these
 * facts allow ({@link #allows}).
 *
 * <p>Created by a load loop thread; after the loop's run is over only the drill's main thread
 * touches it.
 */
final class Ack
{
    final long orderId;
    final long saleId;
    final int shopper;
    final int qty;
    /** The Idempotency-Key the purchase carried. */
    final String idempotencyKey;
    final long deadlineMillis;
    final int cycle;
    boolean paid;
    boolean cancelled;
    /** A pay was sent whose answer never came (or was a refusal): PAID is possible, not promised. */
    boolean payAsked;
    boolean cancelAsked;

    Ack(final long orderId, final long saleId, final int shopper, final int qty, final String idempotencyKey,
        final long deadlineMillis, final int cycle)
    {
        this.orderId = orderId;
        this.saleId = saleId;
        this.shopper = shopper;
        this.qty = qty;
        this.idempotencyKey = idempotencyKey;
        this.deadlineMillis = deadlineMillis;
        this.cycle = cycle;
    }

    /** What the client was last told: CANCELLED, PAID or RESERVED. */
    String acknowledged()
    {
        return cancelled ? "CANCELLED" : paid ? "PAID" : "RESERVED";
    }

    /**
     * Whether the server may answer {@code state} for this order at {@code nowMillis}: an
     * acknowledged payment or cancellation must be there; an order only reserved may also have been
     * paid or cancelled by a request whose answer was lost, or expired once its deadline passed.
     */
    boolean allows(final String state, final long nowMillis)
    {
        if (cancelled)
        {
            return state.equals("CANCELLED");
        }
        if (paid)
        {
            return state.equals("PAID");
        }
        return switch (state)
        {
            case "RESERVED" -> true;
            case "PAID" -> payAsked;
            case "CANCELLED" -> cancelAsked;
            case "EXPIRED" -> nowMillis >= deadlineMillis;
            default -> false;
        };
    }
}
