package io.flashsale.journal.logging;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Prints Logback's own status messages to standard error when they are errors (a broken
 * configuration), and nothing else: logback.xml defines a text and a JSON appender and uses one,
 * which Logback would otherwise report with its whole start-up status at every process start.
 *
 * <p>Any thread (Logback calls it while configuring and when an appender fails).
 */
public final class ErrorStatusListener implements StatusListener
{
    @Override
    public void addStatusEvent(final Status status)
    {
        if (status.getEffectiveLevel() >= Status.ERROR)
        {
            System.err.println("logback: " + status);
        }
    }
}
