package io.flashsale.http;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.pipeline.JournalPort;
import io.flashsale.http.metrics.FrontMetrics;

/** Measures each append of the journal it wraps into the metrics. Journal thread only. */
final class TimedJournalPort implements JournalPort
{
    private final JournalPort journal;
    private final FrontMetrics metrics;

    TimedJournalPort(final JournalPort journal, final FrontMetrics metrics)
    {
        this.journal = journal;
        this.metrics = metrics;
    }

    @Override
    public void append(final CommandEvent command) throws Exception
    {
        final long start = System.nanoTime();
        journal.append(command);
        metrics.journalAppend(System.nanoTime() - start);
    }

    @Override
    public void endOfBatch() throws Exception
    {
        journal.endOfBatch();
    }
}
