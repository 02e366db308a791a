package io.flashsale.engine.command;

/**
 * What a {@link CommandEvent} asks the engine to do.
 *
 * <p>The numeric {@link #code()} is stable: the journal writes it to disk, so codes are never
 * reused or renumbered.
 */
public enum CommandType
{
    CREATE_SALE(1, true),
    PURCHASE(2, true),
    PAY(3, true),
    CANCEL(4, true),
    /** Moves the engine clock forward so that unpaid orders expire when nobody buys. */
    TICK(5, true),
    /** Asks the business thread to hand a consistent cut of its state to the snapshot port. */
    SNAPSHOT(6, false),
    /** Reads one order for its owner; changes nothing, so it is never journaled. */
    QUERY_ORDER(7, false),
    /**
     * Reads one order for an admin: no owner check, and the result names the shopper (their
     * subject). Changes nothing, so it is never journaled.
     */
    INSPECT_ORDER(8, false);

    private static final CommandType[] BY_CODE = new CommandType[9];

    static
    {
        for (final CommandType type : values())
        {
            BY_CODE[type.code] = type;
        }
    }

    private final byte code;
    private final boolean journaled;

    CommandType(final int code, final boolean journaled)
    {
        this.code = (byte)code;
        this.journaled = journaled;
    }

    public byte code()
    {
        return code;
    }

    /** True when the command can change engine state, so replaying it matters. */
    public boolean isJournaled()
    {
        return journaled;
    }

    /** The type for a code, or null when the code is unknown (a corrupt record). */
    public static CommandType fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
