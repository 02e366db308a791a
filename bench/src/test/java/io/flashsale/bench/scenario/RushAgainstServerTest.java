package io.flashsale.bench.scenario;

import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.report.RunReport;
import io.flashsale.bench.system.FlashsaleTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny rush against a real flashsale server in a child JVM (as the bench runs it by default) on
 * an ephemeral port, books checked afterwards. {@code BenchCommandTest} runs one in-process.
 */
class RushAgainstServerTest
{
    @Test
    void aTinyRushSellsOutAndTheServersBooksAgreeWithEveryAnswer(@TempDir final Path folder) throws Exception
    {
        try (FlashsaleTarget target = FlashsaleTarget.start(
            new FlashsaleTarget.Options(FlashsaleTarget.Mode.CHILD, 1, true, null, null, List.of("-Xmx256m")), folder))
        {
            final LoadSettings load = new LoadSettings("127.0.0.1", 0, 8, 1, Pacing.BURST, 0, 1,
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(5));
            final RushOptions options = new RushOptions(150, 20, 0.5, 0.25, 1, Duration.ofMillis(100),
                Duration.ofMillis(200), 10, 1, Duration.ofMillis(200), 7);

            final ScenarioResult result = Rush.run(target, load, options, "test");
            final String report = RunReport.text(result);
            System.out.println(report);

            assertThat(result.checks()).as(report).hasSizeGreaterThanOrEqualTo(6).allMatch(Check::passed);
            assertThat(result.passed()).as(report).isTrue();
            assertThat(result.stats().steps().get("key").outcome("200 key")).as(report).isEqualTo(150);
            assertThat(result.stats().steps().get("purchase").outcome("201 RESERVED")).as(report).isGreaterThanOrEqualTo(20);
            assertThat(result.facts().get("time to sell out")).as(report).endsWith("reservation after the start instant)");
            assertThat(result.stats().errors()).as(report).isZero();

            RunReport.write(result, folder.resolve("results"));
            assertThat(folder.resolve("results/purchase.hgrm")).content().contains("Value     Percentile TotalCount");
            assertThat(folder.resolve("results/latency.html")).content().contains("<svg").contains("purchase");
        }
    }
}
