package io.flashsale.bench.drill;

import io.flashsale.bench.drill.crowd.CrowdDrill;
import io.flashsale.bench.drill.crowd.CrowdReport;
import io.flashsale.bench.drill.crowd.CrowdSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crowd drill, small: twenty thousand distinct shoppers against the real server in a child
 * JVM. Their memory stays within the documented budget, and once they have been idle for the
 * expiry their rate-limit state is given back with no further traffic; what remains is the bounded
 * token cache and the buyers' orders, slots and idempotent replies.
 */
class CrowdDrillTest
{
    @Test
    void twentyThousandShoppersStayWithinTheMemoryBudgetAndTheirRateLimitStateExpires(@TempDir final Path folder) throws Exception
    {
        // The idle expiry must outlast the crowd itself, or the first shoppers' buckets are gone before
        // the peak is measured (20,000 shoppers took 15 s on a loaded 2-core machine, 3 s when quiet).
        final CrowdSettings settings = CrowdSettings.builder().shoppers(20_000).connections(32).expirySeconds(20).maxSeconds(300)
            .ioThreads(2).serverJavaOptions("-Xmx512m").folder(folder).build();

        final CrowdReport report = new CrowdDrill(settings, System.out).run();
        System.out.print(report.summary());

        assertThat(report.checks()).allSatisfy(check -> assertThat(check.passed()).as(check.name() + ": " + check.detail()).isTrue());
        assertThat(report.buyers()).isEqualTo(2_000);
        // The discriminating figure: memory came back after the expiry with nobody calling (a bucket is well over 100 bytes).
        assertThat(report.bytesGivenBackPerShopper()).isGreaterThan(100);
        assertThat(folder.resolve("report.json")).exists();
    }
}
