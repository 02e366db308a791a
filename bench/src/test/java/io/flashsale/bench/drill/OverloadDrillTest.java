package io.flashsale.bench.drill;

import io.flashsale.bench.drill.overload.OverloadDrill;
import io.flashsale.bench.drill.overload.OverloadReport;
import io.flashsale.bench.drill.overload.OverloadSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The overload drill, small: three times the measured capacity for a few seconds against the real
 * server in a child JVM. Asserted here are the properties that do not depend on the machine's
 * speed: the server stays up, every request sent gets a real outcome (no 500, no silence), some
 * purchases are admitted, the books balance, and right after the load the server sells again.
 * Latency and memory verdicts are the drill's own (figures in its report), not this test's.
 */
class OverloadDrillTest
{
    @Test
    void threeTimesCapacityGetsRealOutcomesAndTheServerSellsAgainAtOnce(@TempDir final Path folder) throws Exception
    {
        final OverloadSettings settings = OverloadSettings.builder().multiple(3).seconds(4).connections(64).capacitySeconds(1, 2)
            .shoppers(5_000).afterReserving(0.1, 0.4, 2).ioThreads(2).seed(3).serverJavaOptions("-Xmx256m").folder(folder).build();

        final OverloadReport report = new OverloadDrill(settings, System.out).run();
        System.out.print(report.summary());

        assertThat(report.capacityPurchasesPerSecond()).isPositive();
        assertThat(report.answered()).isPositive();
        assertThat(report.check("the server stayed up").passed()).isTrue();
        assertThat(report.unanswered()).as("requests sent that got no answer").isZero();
        assertThat(report.check("no 5xx but 503").passed()).as(report.check("no 5xx but 503").detail()).isTrue();
        assertThat(report.check("only real outcomes").passed()).as(report.check("only real outcomes").detail()).isTrue();
        assertThat(report.admittedPurchases().count()).as("purchases the engine reserved under overload").isPositive();
        assertThat(report.outcomes().get("purchase")).containsKey("503 NOT_ADMITTED");
        assertThat(report.check("never oversold").passed()).as(report.check("never oversold").detail()).isTrue();
        assertThat(report.readyMillisAfterLoad()).isNotNegative();
        assertThat(report.probeAfter()[2]).as("probe purchases reserved after the load").isEqualTo(report.probeBefore()[2]);
        assertThat(report.check("journal verify").passed()).isTrue();
        assertThat(folder.resolve("report.json")).exists();
    }
}
