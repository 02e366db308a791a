package io.flashsale.bench.drill;

import io.flashsale.bench.drill.diskfull.DiskfullDrill;
import io.flashsale.bench.drill.diskfull.DiskfullReport;
import io.flashsale.bench.drill.diskfull.DiskfullSettings;
import io.flashsale.bench.drill.diskfull.Phase;
import io.flashsale.bench.scenario.Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The disk-full drill, small: the real server in a child JVM with its journal on a 48 MiB tmpfs,
 * filled under purchase load. Skipped where a tmpfs cannot be mounted (the drill then says NOT
 * JUDGED); as root (here and in CI) every check must pass.
 */
class DiskfullDrillTest
{
    @Test
    void aJournalDiskFilledUnderLoadRefusesWithJournalFullNeverHangsComesBackAndLosesNothing(@TempDir final Path folder) throws Exception
    {
        final DiskfullSettings settings = DiskfullSettings.builder().fileSystemMiB(48).minFreeMiB(8).clients(4).phaseSeconds(1.5)
            .answerBoundMillis(10_000).serverJavaOptions("-Xmx256m").folder(folder).build();

        final DiskfullReport report = new DiskfullDrill(settings, System.out).run();
        System.out.print(report.summary());

        assumeTrue(report.journal() != null, "no tmpfs here: " + report.checks());
        assertThat(report.checks()).allSatisfy(check -> assertThat(check.verdict()).as(check.name() + ": " + check.detail())
            .isEqualTo(Check.Verdict.PASS));
        assertThat(report.phases().get(Phase.FULL).answers()).containsKey("503 JOURNAL_FULL");
        assertThat(report.acknowledgedOrdersChecked()).isPositive();
        assertThat(report.acknowledgedOrdersLost()).isZero();
        assertThat(folder.resolve("report.json")).exists();
        assertThat(folder.resolve("fs")).isEmptyDirectory();
    }
}
