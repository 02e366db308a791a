package io.flashsale.bench.drill;

import io.flashsale.bench.drill.crash.CrashDrill;
import io.flashsale.bench.drill.crash.CrashReport;
import io.flashsale.bench.drill.crash.CrashSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash drill, small: two cycles of HTTP load against the real server in a child JVM, each
 * ended by SIGKILL, one with the ASYNC journal and one with BATCH; after each restart every
 * acknowledged order must be there as acknowledged and journal verify must pass. And the same
 * through the edge deployment (a core, two edge processes, nginx): the core killed, the edges answer
 * 503 while it is down, come back by themselves, and lose nothing they acknowledged.
 */
class CrashDrillTest
{
    @Test
    void everyAcknowledgedOrderSurvivesKillNineWithEitherSyncPolicy(@TempDir final Path folder) throws Exception
    {
        final CrashSettings settings = CrashSettings.builder().cycles(2).sync("both").shoppers(500).rate(300).connections(16)
            .killWindowMillis(400, 1_500).limitedStock(100).snapshotEvery(500).ioThreads(2).seed(7).serverJavaOptions("-Xmx256m")
            .folder(folder).build();

        final CrashReport report = new CrashDrill(settings, System.out).run();
        System.out.print(report.summary());

        assertThat(report.cycles()).extracting(CrashReport.Cycle::killedSync).containsExactly("ASYNC", "BATCH");
        assertThat(report.cycles()).allSatisfy(cycle ->
        {
            assertThat(cycle.failures()).isEmpty();
            assertThat(cycle.acknowledgedOrdersLost()).isZero();
            assertThat(cycle.journalCommands()).isPositive();
            assertThat(cycle.servingAgain()).isTrue();
            assertThat(cycle.journalVerify()).startsWith("exit 0");
        });
        // The drill had something to lose: orders acknowledged before each kill, all checked after it.
        assertThat(report.cycles().get(0).acknowledgedOrdersChecked()).isPositive();
        assertThat(report.cycles().get(1).acknowledgedOrdersChecked()).isGreaterThan(report.cycles().get(0).acknowledgedOrdersChecked());
        assertThat(report.passed()).isTrue();
        assertThat(folder.resolve("report.json")).exists();
        assertThat(Files.readAllLines(folder.resolve("acks.jsonl"))).hasSizeGreaterThanOrEqualTo((int)report.acknowledgedOrders());
    }

    @Test
    void everyPurchaseAnEdgeAcknowledgedSurvivesKillNineOfTheCore(@TempDir final Path folder) throws Exception
    {
        final CrashSettings settings = CrashSettings.builder().edges(2).cycles(1).sync("async").shoppers(500).rate(300).connections(16)
            .killWindowMillis(400, 1_500).limitedStock(100).snapshotEvery(500).ioThreads(2).seed(11).serverJavaOptions("-Xmx256m")
            .folder(folder).build();

        final CrashReport report = new CrashDrill(settings, System.out).run();
        System.out.print(report.summary());

        final CrashReport.Cycle cycle = report.cycles().get(0);
        assertThat(cycle.failures()).isEmpty();
        assertThat(cycle.acknowledgedOrdersChecked()).isPositive();
        assertThat(cycle.acknowledgedOrdersLost()).isZero();
        assertThat(cycle.servingAgain()).isTrue();
        assertThat(cycle.journalVerify()).startsWith("exit 0");
        // While the core was down every edge answered, and only 503s; then came back without a restart.
        assertThat(cycle.edges().probes()).isPositive();
        assertThat(cycle.edges().answers().keySet()).allMatch(answer -> answer.startsWith("503 "));
        assertThat(cycle.edges().reconnectMillis()).isNotNegative();
        assertThat(report.passed()).isTrue();
    }
}
