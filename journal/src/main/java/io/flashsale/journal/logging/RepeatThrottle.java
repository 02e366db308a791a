package io.flashsale.journal.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets through at most one line per period from each of the named loggers, whatever it says: for a
 * library that repeats one warning on every poll (Chronicle's disk-space monitor). Configured in
 * logback.xml:
 * <pre>{@code
 * <turboFilter class="io.flashsale.journal.logging.RepeatThrottle">
 *   <logger>net.openhft.chronicle.threads.DiskSpaceMonitor</logger>
 *   <everySeconds>60</everySeconds>
 * </turboFilter>
 * }</pre>
 * Only lines the logger's level lets through count, so a suppressed INFO line never uses up the
 * period of a WARN.
 *
 * <p>Any thread: Logback asks it before every log call of every logger, so a logger not named costs
 * one set look-up.
 */
public final class RepeatThrottle extends TurboFilter
{
    private final Set<String> loggers = new HashSet<>();
    private final ConcurrentHashMap<String, AtomicLong> nextAllowedMillis = new ConcurrentHashMap<>();
    private final LongSupplier clockMillis;
    private long periodMillis = 60_000;

    public RepeatThrottle()
    {
        this(System::currentTimeMillis);
    }

    RepeatThrottle(final LongSupplier clockMillis)
    {
        this.clockMillis = clockMillis;
    }

    /** A logger (its full name) to throttle; configuration time only. */
    public void addLogger(final String name)
    {
        loggers.add(name.trim());
    }

    /** The period; configuration time only. */
    public void setEverySeconds(final long seconds)
    {
        if (seconds < 0)
        {
            throw new IllegalArgumentException("everySeconds must not be negative, was " + seconds);
        }
        periodMillis = seconds * 1000;
    }

    @Override
    public FilterReply decide(
        final Marker marker, final Logger logger, final Level level, final String format, final Object[] params, final Throwable t)
    {
        // format is null when a caller only asks isXxxEnabled(): that is no line.
        if (!isStarted() || format == null || !loggers.contains(logger.getName()) || !level.isGreaterOrEqual(logger.getEffectiveLevel()))
        {
            return FilterReply.NEUTRAL;
        }
        final long now = clockMillis.getAsLong();
        final AtomicLong next = nextAllowedMillis.computeIfAbsent(logger.getName(), name -> new AtomicLong(Long.MIN_VALUE));
        final long allowedAt = next.get();
        return now >= allowedAt && next.compareAndSet(allowedAt, now + periodMillis) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
