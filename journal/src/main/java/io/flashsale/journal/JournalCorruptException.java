package io.flashsale.journal;

import java.nio.file.Path;

/**
 * Recovery found a journal it will not start from: a torn or corrupt tail, a damaged record in
 * the middle, a gap in the sequences, or a journal that ends before the newest snapshot. Says
 * where (journal sequence, Chronicle index, file and offset) and whether a start with
 * {@link JournalConfig#truncateTornTail} would cut it off.
 */
public final class JournalCorruptException extends RuntimeException
{
    /** What recovery found. */
    public enum Kind
    {
        /** The last write never finished (the process died inside it). Never acknowledged. */
        TORN_TAIL,
        /** A complete record fails its checksum or format checks. */
        CORRUPT_RECORD,
        /** A record's sequence is not the one after its predecessor's. */
        SEQUENCE_GAP,
        /** Chronicle holds a complete excerpt after the last one its tailer can read. */
        UNREADABLE_EXCERPT,
        /** The newest valid snapshot covers commands the journal does not hold. */
        JOURNAL_BEHIND_SNAPSHOT
    }

    private final Kind kind;
    private final long sequence;
    private final long chronicleIndex;
    private final Path file;
    private final long fileOffset;
    private final boolean truncatable;

    public JournalCorruptException(
        final Kind kind,
        final long sequence,
        final long chronicleIndex,
        final Path file,
        final long fileOffset,
        final boolean truncatable,
        final String message)
    {
        super(message);
        this.kind = kind;
        this.sequence = sequence;
        this.chronicleIndex = chronicleIndex;
        this.file = file;
        this.fileOffset = fileOffset;
        this.truncatable = truncatable;
    }

    public Kind kind()
    {
        return kind;
    }

    /** The journal sequence of the first record that is missing or bad. */
    public long sequence()
    {
        return sequence;
    }

    /** The Chronicle index of the bad excerpt, or -1 when there is none (a torn write has no index). */
    public long chronicleIndex()
    {
        return chronicleIndex;
    }

    /** The cycle file, or null. */
    public Path file()
    {
        return file;
    }

    /** Byte offset in {@link #file()}, or -1. */
    public long fileOffset()
    {
        return fileOffset;
    }

    /** True when restarting with {@link JournalConfig#truncateTornTail} set would drop the damage and start. */
    public boolean truncatable()
    {
        return truncatable;
    }
}
