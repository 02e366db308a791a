package io.flashsale.bench.cli;

import io.flashsale.bench.report.RunReport;
import io.flashsale.bench.scenario.ScenarioResult;
import io.flashsale.bench.system.JournalCheck;
import io.flashsale.bench.system.Target;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One scenario against one server, start to finish: start the server in the run's own results
 * folder, run the scenario, stop the server, verify its journal, write and print the report. The
 * server is stopped whatever happens. Main thread.
 */
final class ScenarioRun
{
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** A scenario run against an open target. */
    @FunctionalInterface
    interface Body
    {
        ScenarioResult run(Target target, String runTag) throws Exception;
    }

    private ScenarioRun()
    {
    }

    static Path folder(final Path results, final String scenario, final String target)
    {
        return results.resolve(LocalDateTime.now().format(STAMP) + "-" + scenario + "-" + target);
    }

    /** Runs, reports to {@code out}, and returns the result (its checks tell whether it passed). */
    static ScenarioResult execute(final TargetOptions targets, final TargetOptions.Kind kind, final String scenario,
        final Path folder, final Body body, final PrintWriter out) throws Exception
    {
        out.printf("%s: starting %s (files in %s)%n", scenario, kind, folder);
        out.flush();
        final ScenarioResult result;
        final Path journal;
        try (Target target = targets.open(kind, folder))
        {
            journal = target.journalDirectory();
            out.printf("%s: %s on 127.0.0.1:%d, %s; running%n", scenario, target.name(), target.port(), target.description());
            out.flush();
            result = body.run(target, folder.getFileName().toString());
        }
        final JournalCheck.Verdict verdict = JournalCheck.verify(journal, folder.resolve("journal-verify.log"));
        if (verdict.check() != null)
        {
            result.check(verdict.check());
        }
        else
        {
            result.fact("journal", verdict.notRun());
        }
        RunReport.write(result, folder);
        out.println();
        out.print(RunReport.text(result));
        out.printf("%n  %s  (results: %s)%n%n", result.passed() ? "PASS" : "FAIL: a check failed or the run stopped early", folder);
        out.flush();
        return result;
    }
}
