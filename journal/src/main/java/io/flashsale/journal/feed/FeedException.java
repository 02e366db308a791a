package io.flashsale.journal.feed;

/** Why the feed cannot go on, with the exit code {@code flashsale feed} ends with. */
public final class FeedException extends Exception
{
    /** The feed's exit codes. */
    public enum Kind
    {
        /** Bad options, or a journal that is missing or unreadable. */
        USAGE(2),
        /** The database's cursor does not belong to this journal (another history, or a journal that lost records). */
        OTHER_HISTORY(3),
        /** The database cannot be reached at start. */
        DATABASE_UNREACHABLE(4),
        /** The database's schema was migrated by a newer feed than this one. */
        SCHEMA_NEWER(5),
        /** A damaged journal record, or the cursor moved under the feed (a second feed on the same schema). */
        FAILED(1);

        public final int exitCode;

        Kind(final int exitCode)
        {
            this.exitCode = exitCode;
        }
    }

    private final Kind kind;

    public FeedException(final Kind kind, final String message)
    {
        super(message);
        this.kind = kind;
    }

    public FeedException(final Kind kind, final String message, final Throwable cause)
    {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind()
    {
        return kind;
    }
}
