package io.flashsale.bench.drill.partition;

import io.flashsale.bench.drill.DrillReport;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.scenario.Check;

import java.util.List;
import java.util.Map;

/**
 * What a partition drill found, as written to {@code report.json} and printed. Immutable; main thread.
 *
 * @param answers                  per {@link LinkPhase}: answer kind → count ("unanswered" for none within the bound)
 * @param acknowledged             201s any client got, from either node
 * @param lost                     of those, not on the new primary under the same order id, RESERVED, same shopper
 * @param acknowledgedAfterCut     201s the old primary gave whose answer came after the cut began
 * @param acknowledgedAfterCutNotOnStandby of those, not on the new primary (must be 0)
 * @param acknowledgedSentAfterStall 201s of the old primary to purchases sent after it said it stalled (must be 0)
 * @param cutToStallMillis         from the cut to the old primary's readiness saying stalled (-1: never)
 * @param promotedToAcceptedMillis from the promotion's answer to the new primary's first 201 (-1: none)
 * @param tailExpected             records the old primary journaled past what the standby had at its promotion
 * @param tailQuarantined          records the old primary set aside in quarantine/ when it rejoined
 * @param lastAcknowledgedSequence the new primary's journal sequence once its load stopped: every acknowledgement is at or below it
 * @param agreement                how far both journals hold the same records (through the shorter one's end), or where they differ
 */
public record PartitionReport(
    String settings,
    Map<String, Map<String, Long>> answers,
    long acknowledged,
    long lost,
    long acknowledgedAfterCut,
    long acknowledgedAfterCutNotOnStandby,
    long acknowledgedSentAfterStall,
    long cutToStallMillis,
    String promotion,
    long promotedToAcceptedMillis,
    String rejoin,
    long tailExpected,
    long tailQuarantined,
    long lastAcknowledgedSequence,
    String agreement,
    List<Check> checks) implements DrillReport
{
    @Override
    public Check.Verdict verdict()
    {
        return Check.overall(checks);
    }

    @Override
    public String summary()
    {
        final StringBuilder out = new StringBuilder();
        out.append("flashsale drill partition: ").append(settings).append('\n');
        answers.forEach((phase, kinds) -> out.append(String.format("  %-9s %s%n", phase, kinds)));
        out.append(String.format("  acknowledged orders: %,d; lost: %,d%n", acknowledged, lost));
        out.append(String.format("  old primary after the cut: stalled %,d ms after it; %,d acknowledgements came after the cut (%,d not on the standby); "
            + "%,d to purchases sent after the stall%n", cutToStallMillis, acknowledgedAfterCut, acknowledgedAfterCutNotOnStandby,
            acknowledgedSentAfterStall));
        out.append(String.format("  promotion: %s; first purchase accepted %,d ms after it%n", promotion, promotedToAcceptedMillis));
        out.append("  old primary rejoined as standby: ").append(rejoin).append('\n');
        out.append(String.format("  tail quarantined: %,d record(s) (expected %,d)%n", tailQuarantined, tailExpected));
        out.append(String.format("  journals (last acknowledged sequence %,d): %s%n", lastAcknowledgedSequence, agreement));
        out.append(DrillReports.checksAndVerdict(checks, verdict()));
        return out.toString();
    }
}
