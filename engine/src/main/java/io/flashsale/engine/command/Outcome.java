package io.flashsale.engine.command;

/**
 * The result of one command. Business outcomes are values, never exceptions.
 *
 * <p>Codes are stable: the journal tool prints them and clients may store them.
 */
public enum Outcome
{
    /** Placeholder until the business thread has applied the command. */
    PENDING(0),
    /** A purchase reserved units; the order waits for payment until its deadline. */
    RESERVED(1),
    PAID(2),
    CANCELLED(3),
    /** The order's payment window closed before it was paid; its units went back to the sale. */
    EXPIRED(4),
    /** No units left, or fewer than the quantity asked for. */
    SOLD_OUT(5),
    NOT_STARTED(6),
    ENDED(7),
    /** The purchase would take the shopper above the sale's per-user limit. */
    LIMIT_REACHED(8),
    /** The same shopper already purchased with this idempotency key: the first order is returned. */
    DUPLICATE(9),
    UNKNOWN_SALE(10),
    UNKNOWN_ORDER(11),
    /** Paying, cancelling or reading another shopper's order. */
    NOT_OWNER(12),
    /** A field is out of range (quantity, times, stock, limits). */
    INVALID(13),
    /** The ring was full; nothing was applied. Retry later. */
    BUSY(14),
    /** Paying or cancelling an order that is already paid. */
    ALREADY_PAID(15),
    /** Paying or cancelling an order that was already cancelled. */
    ALREADY_CANCELLED(16),
    /** A sale was created; its id is in the result. */
    SALE_CREATED(17),
    /** A command without a business answer (tick, snapshot, query) was applied. */
    OK(18),
    /** The pipeline is shutting down; nothing was applied. */
    SHUTTING_DOWN(19),
    /** The journal could not record the command; the pipeline stops taking commands. */
    JOURNAL_FAILED(20),
    /** The engine failed on this command (a bug); it was logged and nothing is promised. */
    ENGINE_ERROR(21),
    /** A front away from its core (an edge) cannot reach it; nothing was sent. Never journaled. */
    CORE_UNAVAILABLE(22),
    /**
     * A front away from its core sent the command and lost the link before the outcome came back:
     * it may or may not have been applied. Never journaled; retry with the same idempotency key.
     */
    OUTCOME_UNKNOWN(23),
    /**
     * In sync replication, the standby was lost before it acknowledged the command: it was
     * journaled and applied here but is not promised. Whether it survives a failover is not known;
     * retry with the same idempotency key.
     */
    NOT_REPLICATED(24),
    /** The core's journal disk is nearly full: nothing was sent to the ring. Never journaled. */
    JOURNAL_FULL(25),
    /** The core is a hot standby and takes no writes until promoted; nothing was done. Never journaled. */
    STANDBY(26),
    /** The core lost its sync standby and acknowledges nothing until one is in sync again; nothing was done. */
    REPLICATION_STALLED(27);

    private static final Outcome[] BY_CODE = new Outcome[28];

    static
    {
        for (final Outcome outcome : values())
        {
            BY_CODE[outcome.code] = outcome;
        }
    }

    private final byte code;

    Outcome(final int code)
    {
        this.code = (byte)code;
    }

    public byte code()
    {
        return code;
    }

    public static Outcome fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
