package io.flashsale.journal.space;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalSpaceGuardTest
{
    private static final long MIN = 1_000;

    private final AtomicLong free = new AtomicLong(10_000);
    private final JournalSpaceGuard guard = new JournalSpaceGuard(free::get, MIN, () -> 0L);

    @Test
    void engagesBelowTheThresholdAndSaysWhy()
    {
        guard.poll();
        assertThat(guard.engaged()).isFalse();
        assertThat(guard.reason()).isNull();
        assertThat(guard.freeBytes()).isEqualTo(10_000);

        free.set(999);
        guard.poll();
        assertThat(guard.engaged()).isTrue();
        assertThat(guard.freeBytes()).isEqualTo(999);
        assertThat(guard.reason()).contains("999 bytes free", "journal.minFreeBytes 1000");
    }

    @Test
    void releasesOnlyOnceAQuarterMoreThanTheThresholdIsFree()
    {
        free.set(10);
        guard.poll();
        assertThat(guard.engaged()).isTrue();

        free.set(MIN);
        guard.poll();
        assertThat(guard.engaged()).as("at the threshold: still engaged, so it does not flap").isTrue();
        free.set(MIN + MIN / 4 - 1);
        guard.poll();
        assertThat(guard.engaged()).isTrue();

        free.set(MIN + MIN / 4);
        guard.poll();
        assertThat(guard.engaged()).isFalse();
        assertThat(guard.reason()).isNull();
    }

    @Test
    void aFileSystemThatCannotBeReadEngagesTheGuard()
    {
        free.set(-1);
        guard.poll();
        assertThat(guard.engaged()).isTrue();
        assertThat(guard.reason()).contains("cannot be read");
    }

    @Test
    void zeroTurnsTheGuardOff(@TempDir final Path dir) throws Exception
    {
        assertThat(JournalSpaceGuard.watch(dir, 0, 100)).isSameAs(JournalSpaceGuard.OFF);
        assertThat(JournalSpaceGuard.OFF.engaged()).isFalse();
        assertThatThrownBy(() -> new JournalSpaceGuard(free::get, -1, () -> 0L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void watchingARealFolderReadsItsFileSystemAtOnce(@TempDir final Path dir) throws Exception
    {
        try (JournalSpaceGuard watching = JournalSpaceGuard.watch(dir, 1, 100))
        {
            assertThat(watching.freeBytes()).isCloseTo(Files.getFileStore(dir).getUsableSpace(), org.assertj.core.data.Offset.offset(1L << 30));
            assertThat(watching.engaged()).isFalse();
        }
        try (JournalSpaceGuard tooDemanding = JournalSpaceGuard.watch(dir, Long.MAX_VALUE / 2, 100))
        {
            assertThat(tooDemanding.engaged()).isTrue();
        }
    }
}
