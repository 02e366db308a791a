package io.flashsale.bench.baseline;

import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.report.RunReport;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.FloodScenarios;
import io.flashsale.bench.scenario.ScenarioResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Redis baseline against a real redis-server (Debian's; scripts/bench-compare installs it):
 * the Lua purchase sells the stock exactly once and its counters agree with the 201s.
 */
class RedisBaselineTest
{
    @Test
    void theLuaPurchaseSellsTheStockExactlyOnceAndItsBooksAgree(@TempDir final Path folder) throws Exception
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")), "redis-server is not installed (apt-get install redis-server)");
        try (RedisBaselineTarget target = RedisBaselineTarget.start(folder, 1, List.of()))
        {
            final LoadSettings load = new LoadSettings("127.0.0.1", 0, 8, 1, Pacing.RATE, 1_000, 300,
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5));

            final ScenarioResult result = FloodScenarios.purchaseThroughput(target, load, 300, 50, "redis-test");
            final String report = RunReport.text(result);

            assertThat(result.stats().steps().get("purchase").outcome("201 RESERVED")).as(report).isEqualTo(50);
            assertThat(result.stats().steps().get("purchase").outcome("410 SOLD_OUT")).as(report).isEqualTo(250);
            assertThat(result.checks()).as(report).isNotEmpty().allMatch(Check::passed);
            assertThat(result.facts().get("server books")).as(report).startsWith("stock 50 = available 0 + reserved 50");
        }
        assertThat(folder.resolve("redis/appendonlydir")).as("redis ran with appendonly yes").isDirectory();
    }
}
