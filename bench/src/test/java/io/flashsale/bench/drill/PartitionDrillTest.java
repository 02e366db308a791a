package io.flashsale.bench.drill;

import io.flashsale.bench.drill.partition.PartitionDrill;
import io.flashsale.bench.drill.partition.PartitionNetwork;
import io.flashsale.bench.drill.partition.PartitionReport;
import io.flashsale.bench.drill.partition.PartitionSettings;
import io.flashsale.bench.scenario.Check;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partition drill, small: a sync primary and its standby as child JVMs in network namespaces
 * fsp-a and fsp-b, a second of purchase load in each stretch (whole, impaired, cut, promoted).
 * Every check must pass: the cut-off primary stalls and acknowledges nothing alone, the promoted
 * standby sells, every acknowledged order is on it, the old primary rejoins with exactly its
 * unacknowledged tail quarantined, both journals verify and agree through the last acknowledged
 * sequence. Skipped only where there is no root or no iproute2 (CI is root and installs it).
 */
class PartitionDrillTest
{
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aPrimaryCutOffFromItsStandbyStallsAndRejoinsAfterThePromotionWithoutLosingAnAcknowledgedOrder(@TempDir final Path folder)
        throws Exception
    {
        final String unavailable = PartitionNetwork.unavailable();
        Assumptions.assumeTrue(unavailable == null, unavailable);
        final PartitionSettings settings = PartitionSettings.builder().clients(3).stretchSeconds(1).serverJavaOptions("-Xmx256m")
            .folder(folder).build();

        final PartitionReport report = new PartitionDrill(settings, System.out).run();
        System.out.print(report.summary());

        assertThat(report.checks()).allSatisfy(check -> assertThat(check.verdict()).as(check.name() + ": " + check.detail())
            .isEqualTo(Check.Verdict.PASS));
        assertThat(report.acknowledged()).isPositive();
        assertThat(report.lost()).isZero();
        assertThat(report.acknowledgedSentAfterStall()).isZero();
        assertThat(report.acknowledgedAfterCutNotOnStandby()).isZero();
        assertThat(report.rejoin()).startsWith("yes");
        assertThat(report.tailQuarantined()).isEqualTo(report.tailExpected());
        assertThat(folder.resolve("report.json")).exists();
    }
}
