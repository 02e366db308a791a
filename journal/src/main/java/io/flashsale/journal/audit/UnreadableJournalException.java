package io.flashsale.journal.audit;

import java.io.IOException;

/** The journal folder is missing, empty, or cannot be opened as a journal. The tools exit with 2. */
public final class UnreadableJournalException extends IOException
{
    public UnreadableJournalException(final String message)
    {
        super(message);
    }

    public UnreadableJournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
