package io.flashsale.journal.feed;

/**
 * Names a journal's history by its first record: sequence, timestamp and checksum (the checksum
 * covers every byte of the record). Two journals with the same first record share their history;
 * the feed refuses to continue a database's cursor on a journal whose first record differs.
 */
record JournalIdentity(long sequence, long timestampMillis, int checksum)
{
    @Override
    public String toString()
    {
        return "first record " + sequence + " at " + java.time.Instant.ofEpochMilli(timestampMillis) + " (checksum " +
            String.format("%08x", checksum) + ")";
    }
}
