package io.flashsale.journal.crash;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real crash test: an engine in a child JVM under load is killed with SIGKILL three times at
 * random moments; after each restart every acknowledged order is there in an allowed state, and
 * the journal verifies. {@code scripts/crash-drill --cycles N} runs more cycles.
 */
class CrashDrillTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyAcknowledgedOrderSurvivesThreeKillsAndTheJournalVerifies() throws Exception
    {
        final long seed = System.nanoTime();
        System.out.println("crash drill seed " + seed);
        final CrashDrill.Summary summary = new CrashDrill(dir.resolve("data"), seed, System.out).run(3);
        assertThat(summary.acknowledged()).isPositive();
        assertThat(summary.verify()).startsWith("OK: ");
    }
}
