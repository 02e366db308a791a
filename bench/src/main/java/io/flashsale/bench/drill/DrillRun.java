package io.flashsale.bench.drill;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --results} option every drill command has ({@code @Mixin}), and how a drill's run
 * ends: a fresh folder for it, its summary and report path printed, its verdict as the exit code.
 * Main thread.
 */
final class DrillRun
{
    /** One drill, run in the folder it is given. */
    interface Drill
    {
        DrillReport run(Path folder) throws Exception;
    }

    @Option(names = "--results", defaultValue = "results/drills", description = "each run gets a folder here (default ${DEFAULT-VALUE})")
    Path results;

    int run(final String name, final Drill drill) throws Exception
    {
        final Path folder = DrillReports.folder(results, name);
        final DrillReport report = drill.run(folder);
        System.out.println();
        System.out.print(report.summary());
        System.out.println("  report: " + folder.resolve("report.json"));
        return DrillReports.exitCode(report.verdict());
    }
}
