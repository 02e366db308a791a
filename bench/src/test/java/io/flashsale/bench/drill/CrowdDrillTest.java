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
        final CrowdSettings settings = CrowdSettings.builder().shoppers(20_000).connections(32).expirySeconds(3).maxSeconds(300)
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
