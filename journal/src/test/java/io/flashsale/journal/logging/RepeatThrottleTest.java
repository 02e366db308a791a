package io.flashsale.journal.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatThrottleTest
{
    private static final String NOISY = "net.openhft.chronicle.threads.DiskSpaceMonitor";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoggerContext context = new LoggerContext();
    private final RepeatThrottle throttle = new RepeatThrottle(now::get);
    private Logger noisy;

    @BeforeEach
    void setUp()
    {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        noisy = context.getLogger(NOISY);
        throttle.addLogger(NOISY);
        throttle.setEverySeconds(60);
        throttle.start();
    }

    private FilterReply line(final Logger logger, final Level level, final String message)
    {
        return throttle.decide(null, logger, level, message, null, null);
    }

    @Test
    void aRepeatedLineGetsThroughOncePerPeriod()
    {
        assertThat(line(noisy, Level.WARN, "your disk / is 96% full")).isEqualTo(FilterReply.NEUTRAL);
        for (int i = 0; i < 100; i++)
        {
            now.addAndGet(500);
            assertThat(line(noisy, Level.WARN, "your disk / is 96% full")).as("repeat %d", i).isEqualTo(FilterReply.DENY);
        }
        now.set(1_000_000 + 60_000);
        assertThat(line(noisy, Level.WARN, "your disk / is 97% full")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(line(noisy, Level.ERROR, "your disk / is almost full")).isEqualTo(FilterReply.DENY);
    }

    @Test
    void otherLoggersAreNotThrottled()
    {
        final Logger other = context.getLogger("io.flashsale.http.FlashsaleServer");
        for (int i = 0; i < 10; i++)
        {
            assertThat(line(other, Level.WARN, "same line")).isEqualTo(FilterReply.NEUTRAL);
        }
    }

    @Test
    void aLineTheLevelDropsAnywayDoesNotUseUpThePeriod()
    {
        noisy.setLevel(Level.WARN);
        assertThat(line(noisy, Level.INFO, "Took 3.8 ms to pollDiskSpace")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(line(noisy, Level.WARN, "your disk / is 96% full")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(line(noisy, Level.WARN, "your disk / is 96% full")).isEqualTo(FilterReply.DENY);
    }

    @Test
    void askingWhetherALevelIsEnabledIsNoLine()
    {
        assertThat(noisy.isWarnEnabled()).isTrue();
        assertThat(line(noisy, Level.WARN, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(line(noisy, Level.WARN, "your disk / is 96% full")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(line(noisy, Level.WARN, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(line(noisy, Level.WARN, "your disk / is 96% full")).isEqualTo(FilterReply.DENY);
    }
}
