package io.flashsale.bench.drill.failover;

import io.flashsale.bench.drill.DrillReport;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.scenario.Check;

import java.util.List;
import java.util.Map;

/**
 * What a failover drill found, as written to {@code report.json} and printed: the answers the
 * old primary gave before it was killed, the acknowledged orders looked for on the promoted
 * standby and how many were missing, the time from the kill to the first purchase the new primary
 * accepted, whether the old primary rejoined as a standby, and the checks. Immutable; main thread.
 *
 * @param killToPromotedMillis         from the SIGKILL to the promotion's answer (-1: never promoted)
 * @param killToFirstAcceptedMillis    from the SIGKILL to the first 201 of the new primary (-1: none)
 * @param rejoin                       "yes", "yes, its tail the standby never acknowledged quarantined", "no: why", or "not tried"
 */
public record FailoverReport(
    String settings,
    Map<String, Long> answersBeforeKill,
    long unansweredAtKill,
    long acknowledgedOrdersChecked,
    long acknowledgedOrdersLost,
    long killToPromotedMillis,
    long killToFirstAcceptedMillis,
    String promotion,
    String rejoin,
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
        out.append("flashsale drill failover: ").append(settings).append('\n');
        out.append(String.format("  old primary answered %s; %,d requests unanswered at the kill%n", answersBeforeKill, unansweredAtKill));
        out.append(String.format("  acknowledged orders checked on the new primary: %,d; lost: %,d%n", acknowledgedOrdersChecked, acknowledgedOrdersLost));
        out.append(String.format("  kill -9 -> promoted: %,d ms (%s); kill -9 -> first purchase accepted: %,d ms%n", killToPromotedMillis,
            promotion, killToFirstAcceptedMillis));
        out.append("  old primary rejoined as standby: ").append(rejoin).append('\n');
        out.append(DrillReports.checksAndVerdict(checks, verdict()));
        return out.toString();
    }
}
