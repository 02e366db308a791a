package io.flashsale.journal;

/**
 * Recovery met a journaled command that the engine throws on. The engine throws on no input (its
 * model and fuzz tests hold it to that), so this is an engine bug, and a deterministic one: every
 * replay, and a standby applying the same journal, fails on the same command. Cutting the journal
 * there would drop acknowledged commands, so the start is refused with where the command is
 * (journal sequence and Chronicle index) and what it is, for an operator to look at with
 * {@code flashsale journal dump --from SEQ --to SEQ} and for a fixed engine to replay.
 */
public final class PoisonCommandException extends RuntimeException
{
    private final long sequence;
    private final long chronicleIndex;
    private final String command;

    public PoisonCommandException(final long sequence, final long chronicleIndex, final String command, final String message, final Throwable cause)
    {
        super(message, cause);
        this.sequence = sequence;
        this.chronicleIndex = chronicleIndex;
        this.command = command;
    }

    /** The journal sequence of the command the engine threw on. */
    public long sequence()
    {
        return sequence;
    }

    /** Its Chronicle index. */
    public long chronicleIndex()
    {
        return chronicleIndex;
    }

    /** The decoded command, one line. */
    public String command()
    {
        return command;
    }
}
