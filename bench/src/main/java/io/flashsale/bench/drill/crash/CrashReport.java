package io.flashsale.bench.drill.crash;

import io.flashsale.bench.drill.DrillReport;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.scenario.Check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a crash drill found, cycle by cycle, as written to {@code report.json} and printed. The
 * drill passes when no cycle has a failure and no repeated Idempotency-Key answered another order.
 *
 * <p>Immutable once built; main thread.
 */
public record CrashReport(
    String settings,
    String journal,
    List<Cycle> cycles,
    long acknowledgedOrders,
    long duplicatesConfirmedUnderLoad,
    List<String> idempotencyViolations) implements DrillReport
{
    /** One load, kill and restart. */
    public record Cycle(
        int cycle,
        String killedSync,
        long killAfterMillis,
        long requestsAnswered,
        Map<String, Map<String, Long>> outcomes,
        long requestsUnanswered,
        String tornTailCut,
        long journalCommands,
        long recoveryMillis,
        long restartToReadyMillis,
        long acknowledgedOrdersChecked,
        long acknowledgedOrdersLost,
        List<SaleBooks> books,
        int idempotencyKeysConfirmed,
        int idempotencyKeysAsked,
        boolean servingAgain,
        String journalVerify,
        EdgeOutage edges,
        List<String> failures)
    {
        public boolean passed()
        {
            return failures.isEmpty();
        }

        /** One line for the console. */
        public String line()
        {
            return String.format("  cycle %d (%s): killed after %d ms, %,d answers, %,d unanswered; restart %s%,d ms to ready "
                    + "(recovery %,d ms, %,d commands in the journal); %,d acknowledged orders checked, %,d lost; "
                    + "idempotency %d/%d; serving %s; verify %s  %s",
                cycle, killedSync, killAfterMillis, requestsAnswered, requestsUnanswered, tornTailCut == null ? "" : "(torn tail cut) ",
                restartToReadyMillis, recoveryMillis, journalCommands, acknowledgedOrdersChecked, acknowledgedOrdersLost,
                idempotencyKeysConfirmed, idempotencyKeysAsked, servingAgain ? "yes" : "NO",
                journalVerify.startsWith("exit 0") ? "ok" : "FAILED", passed() ? "PASS" : "FAIL")
                + (edges == null ? "" : "\n    edges: " + edges.line());
        }
    }

    /**
     * The edges while their core was down (with {@code --edges}): purchases sent straight to
     * them, their answers, how fast (microseconds), how many within 100 ms, and the milliseconds
     * from the restarted core's ready to every edge's ready again (the edges were not restarted).
     */
    public record EdgeOutage(long probes, Map<String, Long> answers, long p50Micros, long p99Micros, long maxMicros, long within100Millis,
        long reconnectMillis)
    {
        String line()
        {
            return String.format("%,d purchases sent to the edges while the core was down: %s; answered in p50 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms, %,d of %,d within 100 ms; every edge ready again %,d ms after the core", probes, answers,
                p50Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0, within100Millis, probes, reconnectMillis);
        }
    }

    /** One sale's books after a restart, beside what the client knows of it. */
    public record SaleBooks(
        long saleId,
        long stock,
        long available,
        long reserved,
        long paid,
        long cancelled,
        long expired,
        long acknowledgedUnits,
        long acknowledgedPaidUnits,
        long acknowledgedCancelledUnits,
        long unansweredPurchases,
        long oversold)
    {
    }

    public boolean passed()
    {
        return idempotencyViolations.isEmpty() && cycles.stream().allMatch(Cycle::passed);
    }

    @Override
    public Check.Verdict verdict()
    {
        return passed() ? Check.Verdict.PASS : Check.Verdict.FAIL;
    }

    public long lost()
    {
        return cycles.stream().mapToLong(Cycle::acknowledgedOrdersLost).sum();
    }

    void write(final Path file) throws IOException
    {
        DrillReports.write(file, this);
    }

    /** The summary printed at the end. */
    @Override
    public String summary()
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("crash drill: %s%n", passed() ? "PASS" : "FAIL"));
        text.append(String.format("  %s%n", settings));
        text.append(String.format("  %-5s %-6s %8s %9s %11s %10s %9s %11s %6s %6s%n",
            "cycle", "sync", "kill ms", "answers", "unanswered", "journal", "recov ms", "ready ms", "acked", "lost"));
        for (final Cycle cycle : cycles)
        {
            text.append(String.format("  %-5d %-6s %8d %9d %11d %10d %9d %11d %6d %6d%s%n", cycle.cycle, cycle.killedSync,
                cycle.killAfterMillis, cycle.requestsAnswered, cycle.requestsUnanswered, cycle.journalCommands, cycle.recoveryMillis,
                cycle.restartToReadyMillis, cycle.acknowledgedOrdersChecked, cycle.acknowledgedOrdersLost,
                cycle.tornTailCut == null ? "" : "  (torn tail cut)"));
        }
        text.append(String.format("  acknowledged orders: %,d, lost: %,d; repeated keys under load answered their order %,d times, otherwise %d%n",
            acknowledgedOrders, lost(), duplicatesConfirmedUnderLoad, idempotencyViolations.size()));
        idempotencyViolations.stream().limit(5).forEach(v -> text.append("  FAIL ").append(v).append('\n'));
        for (final Cycle cycle : cycles)
        {
            cycle.failures.forEach(f -> text.append(String.format("  FAIL cycle %d: %s%n", cycle.cycle, f)));
        }
        return text.toString();
    }
}
