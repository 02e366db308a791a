package io.flashsale.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server with a tiny heap, filled through its ring until the heap runs out, exits instead of
 * staying up half alive: with the launcher's {@code -XX:+ExitOnOutOfMemoryError} the JVM ends it
 * (code 3); without that flag the ring's own failure handling does (code 70, wherever the error
 * struck first).
 */
class OutOfMemoryProcessTest
{
    private static final Duration BOUND = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void withTheLauncherFlagsTheJvmExitsWhenTheHeapRunsOut() throws Exception
    {
        try (ChildServer child = fill(List.of("-Xmx48m", "-XX:+ExitOnOutOfMemoryError")))
        {
            assertThat(child.awaitExit(BOUND)).as(child.stderrText()).isEqualTo(3);
            // HotSpot says so on stdout.
            child.awaitLine("Terminating due to java.lang.OutOfMemoryError", Duration.ofSeconds(10));
        }
    }

    @Test
    void withoutTheFlagTheFailedRingEndsTheProcessWhenTheHeapRunsOut() throws Exception
    {
        try (ChildServer child = fill(List.of("-Xmx48m")))
        {
            assertThat(child.awaitExit(BOUND)).as(child.stderrText()).isEqualTo(FailFast.ENGINE_FAILED);
            // The exit code is the proof. Out of heap, every log line is best effort (building it may
            // itself run out): seen here once without "RING FAILED", the exit line still written.
            assertThat(child.stderrText()).contains("OutOfMemoryError");
        }
    }

    private ChildServer fill(final List<String> jvmOptions) throws Exception
    {
        final ChildServer child = ChildServer.start(jvmOptions, FillingServerChild.class, dir.resolve("stderr.txt"), dir.resolve("journal").toString());
        child.awaitLine("FILLING", Duration.ofSeconds(60));
        return child;
    }
}
