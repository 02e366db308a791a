package io.flashsale.bench.drill;

import io.flashsale.bench.drill.failover.FailoverDrill;
import io.flashsale.bench.drill.failover.FailoverReport;
import io.flashsale.bench.drill.failover.FailoverSettings;
import io.flashsale.bench.scenario.Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failover drill, small: a primary and a sync standby as child JVMs, the primary killed with
 * SIGKILL within two seconds of purchase load, the standby promoted (by hand, or by itself after
 * 500 ms of silence). Every check must pass: every acknowledged order on the new primary, the new
 * primary selling, the old primary rejoining as its standby, the journals verified.
 */
class FailoverDrillTest
{
    @Test
    void aPrimaryKilledUnderLoadFailsOverToItsSyncStandbyWithoutLosingAnAcknowledgedOrder(@TempDir final Path folder) throws Exception
    {
        final FailoverSettings settings = FailoverSettings.builder().mode("sync").clients(4).loadSeconds(2).seed(7)
            .serverJavaOptions("-Xmx256m").folder(folder).build();

        final FailoverReport report = new FailoverDrill(settings, System.out).run();
        System.out.print(report.summary());

        assertThat(report.checks()).allSatisfy(check -> assertThat(check.verdict()).as(check.name() + ": " + check.detail())
            .isEqualTo(Check.Verdict.PASS));
        assertThat(report.acknowledgedOrdersChecked()).isPositive();
        assertThat(report.acknowledgedOrdersLost()).isZero();
        assertThat(report.killToFirstAcceptedMillis()).isNotNegative();
        assertThat(report.rejoin()).startsWith("yes");
        assertThat(folder.resolve("report.json")).exists();
    }

    @Test
    void aPrimaryKilledUnderLoadIsReplacedByItsSyncStandbyPromotingItselfWithoutLosingAnAcknowledgedOrder(@TempDir final Path folder)
        throws Exception
    {
        final FailoverSettings settings = FailoverSettings.builder().mode("sync").clients(4).loadSeconds(2).seed(11)
            .autoPromote(true).failoverAfterMillis(500).rejoin(false).serverJavaOptions("-Xmx256m").folder(folder).build();

        final FailoverReport report = new FailoverDrill(settings, System.out).run();
        System.out.print(report.summary());

        assertThat(report.checks()).allSatisfy(check -> assertThat(check.verdict()).as(check.name() + ": " + check.detail())
            .isEqualTo(Check.Verdict.PASS));
        assertThat(report.promotion()).startsWith("automatically, epoch 2").contains("silent for 500 ms");
        assertThat(report.acknowledgedOrdersChecked()).isPositive();
        assertThat(report.acknowledgedOrdersLost()).isZero();
        assertThat(report.killToFirstAcceptedMillis()).isNotNegative();
    }
}
