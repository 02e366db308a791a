package io.flashsale.bench.journal;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Runs {@link JournalThroughputBenchmark} the fair way and prints the ratios: first the pipeline
 * for ASYNC and BATCH, in both stage layouts, PARALLEL and SERIAL (the BATCH runs also report
 * their mean ring batch, i.e. commands per sync), then the raw append loop for ASYNC and for BATCH
 * forcing the file once per that many records.
 *
 * <pre>
 *   java $FLAGS -cp bench/target/classes:bench/target/lib/* io.flashsale.bench.journal.JournalFigures [--quick]
 * </pre>
 * {@code --quick}: 2 warm-up and 3 measured iterations of 1 s (the shared machine), else 3 and 5 of 2 s.
 */
public final class JournalFigures
{
    public static void main(final String[] args) throws Exception
    {
        final boolean quick = Arrays.asList(args).contains("--quick");
        final Path stats = Files.createTempFile("journal-bench-stats", ".txt");
        final String[] flags = BenchFlags.jvmFlags();
        final String[] forkArgs = Arrays.copyOf(flags, flags.length + 2);
        forkArgs[flags.length] = "-D" + JournalThroughputBenchmark.STATS_PROPERTY + "=" + stats;
        forkArgs[flags.length + 1] = "-Xmx2g";

        final Collection<RunResult> pipeline = new Runner(options(quick, forkArgs)
            .include(JournalThroughputBenchmark.class.getName() + ".pipeline")
            .param("sync", "ASYNC", "BATCH")
            .param("layout", "PARALLEL", "SERIAL")
            .build()).run();

        // Commands per sync over the BATCH pipeline runs: the raw loop forces the file as often.
        double commands = 0;
        double syncs = 0;
        for (final String line : Files.readAllLines(stats))
        {
            final String[] f = line.trim().split(" ");
            if (f[0].equals("BATCH"))
            {
                commands += Double.parseDouble(f[2]);
                syncs += Double.parseDouble(f[3]);
            }
        }
        final int meanBatch = syncs == 0 ? 64 : (int)Math.max(1, Math.round(commands / syncs));

        final Collection<RunResult> rawAsync = new Runner(options(quick, forkArgs)
            .include(JournalThroughputBenchmark.class.getName() + ".rawAppend")
            .param("sync", "ASYNC")
            .build()).run();
        final Collection<RunResult> rawBatch = new Runner(options(quick, forkArgs)
            .include(JournalThroughputBenchmark.class.getName() + ".rawAppend")
            .param("sync", "BATCH")
            .param("rawSyncEvery", String.valueOf(meanBatch))
            .build()).run();

        System.out.println();
        System.out.println("journal throughput (commands/s), same records, same run:");
        System.out.printf("%-6s %-9s %24s %24s %7s%n", "sync", "layout", "ring+journal+engine", "raw Chronicle append", "ratio");
        for (final String sync : List.of("ASYNC", "BATCH"))
        {
            final Result<?> raw = find(sync.equals("ASYNC") ? rawAsync : rawBatch, sync, null);
            for (final String layout : List.of("PARALLEL", "SERIAL"))
            {
                final Result<?> piped = find(pipeline, sync, layout);
                System.out.printf("%-6s %-9s %12.0f ± %9.0f %12.0f ± %9.0f %7.2f%n", sync, layout, piped.getScore(), piped.getScoreError(),
                    raw.getScore(), raw.getScoreError(), piped.getScore() / raw.getScore());
            }
        }
        System.out.println("BATCH: one force per " + meanBatch + " records in both (the pipeline's mean ring batch)");
        Files.deleteIfExists(stats);
    }

    private static ChainedOptionsBuilder options(final boolean quick, final String[] forkArgs)
    {
        final ChainedOptionsBuilder options = new OptionsBuilder().jvmArgsAppend(forkArgs).forks(1);
        if (quick)
        {
            options.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        return options;
    }

    private static Result<?> find(final Collection<RunResult> results, final String sync, final String layout)
    {
        return results.stream()
            .filter(r -> sync.equals(r.getParams().getParam("sync")))
            .filter(r -> layout == null || layout.equals(r.getParams().getParam("layout")))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no result for " + sync))
            .getPrimaryResult();
    }
}
