package io.flashsale.bench.drill.diskfull;

import io.flashsale.bench.drill.DrillReport;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.scenario.Check;

import java.util.List;
import java.util.Map;

/**
 * What a disk-full drill found, as written to {@code report.json} and printed: the answers of
 * each phase, how long the server took to notice the full disk and the room coming back, the
 * acknowledged orders looked for after a kill -9, and the checks. Immutable; main thread.
 *
 * @param fillToNotReadyMillis from the filler written to {@code /health/ready} answering 503 journal-full (-1: never)
 * @param deleteToReadyMillis  from the filler deleted to ready again (-1: never)
 */
public record DiskfullReport(
    String settings,
    String journal,
    Map<Phase, Answers> phases,
    long fillerBytes,
    long fillToNotReadyMillis,
    String notReadyDetail,
    long deleteToReadyMillis,
    long acknowledgedOrdersChecked,
    long acknowledgedOrdersLost,
    long restartToReadyMillis,
    String recovery,
    List<Check> checks) implements DrillReport
{
    /** One phase's answers: kind → count, those that never came, the slowest. */
    public record Answers(Map<String, Long> answers, long unanswered, long slowestMillis)
    {
    }

    /** A drill that could not run here (no tmpfs): one check, not judged. */
    static DiskfullReport notRun(final String settings, final String why)
    {
        return new DiskfullReport(settings, null, Map.of(), 0, -1, null, -1, 0, 0, -1, null,
            List.of(Check.notJudged("a small tmpfs for the journal", why)));
    }

    @Override
    public Check.Verdict verdict()
    {
        return Check.overall(checks);
    }

    @Override
    public String summary()
    {
        final StringBuilder out = new StringBuilder();
        out.append("flashsale drill diskfull: ").append(settings).append('\n');
        if (journal != null)
        {
            out.append("  journal on ").append(journal).append('\n');
            phases.forEach((phase, answers) -> out.append(String.format("  %-10s %s; unanswered %d; slowest %,d ms%n",
                phase, answers.answers(), answers.unanswered(), answers.slowestMillis())));
            out.append(String.format("  filler %,d bytes: not ready %,d ms later (%s); filler deleted: ready %,d ms later%n",
                fillerBytes, fillToNotReadyMillis, notReadyDetail, deleteToReadyMillis));
            out.append(String.format("  kill -9, restart: ready in %,d ms (%s); %,d acknowledged orders checked, %,d lost%n",
                restartToReadyMillis, recovery, acknowledgedOrdersChecked, acknowledgedOrdersLost));
        }
        out.append(DrillReports.checksAndVerdict(checks, verdict()));
        return out.toString();
    }
}
