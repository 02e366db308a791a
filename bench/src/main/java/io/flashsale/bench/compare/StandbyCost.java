package io.flashsale.bench.compare;

import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.load.StepStats;
import io.flashsale.bench.report.Percentiles;
import io.flashsale.bench.report.RunReport;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.FloodScenarios;
import io.flashsale.bench.scenario.ScenarioResult;
import io.flashsale.bench.system.FlashsaleTarget;
import io.flashsale.bench.system.JournalCheck;
import io.flashsale.bench.system.StandbyTarget;
import io.flashsale.bench.system.Target;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a sync hot standby costs a purchase over HTTP: flashsale alone and flashsale as a primary
 * with a standby process, both started once and warmed up, then measured in rounds that visit
 * alone and with-standby in turn (the machine's drift lands on both alike). Per round: the
 * successful-purchase rate closed loop (maximum) of each and their ratio, and at each fixed
 * open-loop rate the p99 of each and the difference. Figures are medians over the rounds. After
 * every run with the standby the primary must still say it is in sync (a primary that lost its
 * standby would answer fast refusals, not purchases); both journals are verified at the end.
 *
 * <p>Main thread.
 */
public final class StandbyCost
{
    private static final String RESERVED = "201 RESERVED";
    private static final long STOCK = 1_000_000_000L;

    /** Starts one of the two deployments in a folder. */
    @FunctionalInterface
    public interface Starter<T extends Target>
    {
        T start(Path folder) throws Exception;
    }

    /** The settings every run shares. */
    public record Settings(LoadSettings load, double[] rates, Duration warmup, int rounds, int shoppers)
    {
        public Settings
        {
            if (rounds < 1 || rounds > 20)
            {
                throw new IllegalArgumentException("rounds must be between 1 and 20, was " + rounds);
            }
        }
    }

    /**
     * One round's figures: successful purchases/s closed loop and p99 (µs) at each rate, alone and
     * with the standby, and the CPU time per purchase of the closed-loop runs (µs; with the standby:
     * primary and standby together).
     */
    record Round(double alone, double synced, long[] aloneP99, long[] syncedP99, double aloneCpu, double syncedCpu, double standbyCpu)
    {
        double ratio()
        {
            return alone <= 0 ? 0 : synced / alone;
        }
    }

    private final Settings settings;
    private final Path folder;
    private final PrintWriter out;
    private final List<Check> checks = new ArrayList<>();
    private final List<Round> rounds = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public StandbyCost(final Settings settings, final Path folder, final PrintWriter out)
    {
        this.settings = settings;
        this.folder = folder;
        this.out = out;
    }

    /** @return true when every check passed */
    public boolean run(final Starter<FlashsaleTarget> aloneStarter, final Starter<StandbyTarget> standbyStarter) throws Exception
    {
        final Path aloneJournal;
        final Path primaryJournal;
        try (FlashsaleTarget alone = aloneStarter.start(folder.resolve("alone"));
             StandbyTarget synced = standbyStarter.start(folder.resolve("standby")))
        {
            aloneJournal = alone.journalDirectory();
            primaryJournal = synced.journalDirectory();
            say("alone: %s", alone.description());
            say("with standby: %s", synced.description());
            final LoadSettings closed = closed(settings.load().duration());
            if (!settings.warmup().isZero())
            {
                run(alone, closed(settings.warmup()), "warmup");
                run(synced, closed(settings.warmup()), "warmup");
                stillInSync(synced, "warmup");
            }
            for (int round = 1; round <= settings.rounds(); round++)
            {
                final double aloneCpuBefore = alone.cpuSeconds();
                final ScenarioResult aloneClosed = run(alone, closed, "closed-round" + round);
                final double aloneCpu = cpuMicrosPerPurchase(alone.cpuSeconds() - aloneCpuBefore, aloneClosed);
                final double syncedCpuBefore = synced.cpuSeconds();
                final double standbyCpuBefore = synced.standbyCpuSeconds();
                final ScenarioResult syncedClosed = run(synced, closed, "closed-round" + round);
                final double syncedCpu = cpuMicrosPerPurchase(synced.cpuSeconds() - syncedCpuBefore, syncedClosed);
                final double standbyCpu = cpuMicrosPerPurchase(synced.standbyCpuSeconds() - standbyCpuBefore, syncedClosed);
                final double a = reservedPerSecond(aloneClosed);
                final double s = reservedPerSecond(syncedClosed);
                stillInSync(synced, "closed round " + round);
                final long[] aloneP99 = new long[settings.rates().length];
                final long[] syncedP99 = new long[settings.rates().length];
                for (int i = 0; i < settings.rates().length; i++)
                {
                    final LoadSettings open = settings.load().paced(Pacing.RATE, settings.rates()[i], settings.load().maxArrivals());
                    final String label = String.format("open%.0f-round%d", settings.rates()[i], round);
                    aloneP99[i] = p99(run(alone, open, label));
                    syncedP99[i] = p99(run(synced, open, label));
                    stillInSync(synced, label);
                }
                final Round figures = new Round(a, s, aloneP99, syncedP99, aloneCpu, syncedCpu, standbyCpu);
                rounds.add(figures);
                say("round %d: %s", round, describe(figures));
            }
        }
        verify("alone", aloneJournal);
        verify("primary", primaryJournal);
        out.println();
        out.print(summary());
        out.flush();
        return checks.stream().allMatch(Check::passed);
    }

    /** The medians, one line each, and every check that failed. */
    public String summary()
    {
        final StringBuilder text = new StringBuilder();
        final double[] ratios = rounds.stream().mapToDouble(Round::ratio).toArray();
        text.append(String.format("successful purchases/s closed loop, with the standby / alone: median %.2f (rounds %s; goal >= 0.8)%n",
            median(ratios), list(ratios, "%.2f")));
        text.append(String.format("  alone median %,.0f/s, with a standby median %,.0f/s%n",
            median(rounds.stream().mapToDouble(Round::alone).toArray()), median(rounds.stream().mapToDouble(Round::synced).toArray())));
        for (int i = 0; i < settings.rates().length; i++)
        {
            final int rate = i;
            final double[] added = rounds.stream().mapToDouble(r -> (r.syncedP99()[rate] - r.aloneP99()[rate]) / 1000.0).toArray();
            text.append(String.format("p99 added by the standby at %,.0f purchases/s open loop: median %+.3f ms (rounds %s; goal <= 0.5 ms); "
                    + "p99 alone median %.3f ms, with a standby %.3f ms%n",
                settings.rates()[i], median(added), list(added, "%+.3f"),
                median(rounds.stream().mapToDouble(r -> r.aloneP99()[rate] / 1000.0).toArray()),
                median(rounds.stream().mapToDouble(r -> r.syncedP99()[rate] / 1000.0).toArray())));
        }
        for (final String note : notes)
        {
            text.append("note: ").append(note).append('\n');
        }
        for (final Check check : checks)
        {
            if (!check.passed())
            {
                text.append("FAILED: ").append(check.name()).append(": ").append(check.detail()).append('\n');
            }
        }
        text.append(String.format("checks: %d, failed %d%n", checks.size(), checks.stream().filter(c -> !c.passed()).count()));
        return text.toString();
    }

    private String describe(final Round round)
    {
        final StringBuilder line = new StringBuilder(String.format(
            "closed loop alone %,.0f/s, with a standby %,.0f/s, ratio %.2f (server CPU per purchase alone %.0f µs, primary + standby %.0f µs, of which standby %.0f µs)",
            round.alone(), round.synced(), round.ratio(), round.aloneCpu(), round.syncedCpu(), round.standbyCpu()));
        for (int i = 0; i < settings.rates().length; i++)
        {
            line.append(String.format("; at %,.0f/s p99 alone %s ms, with a standby %s ms", settings.rates()[i],
                Percentiles.millis(round.aloneP99()[i]), Percentiles.millis(round.syncedP99()[i])));
        }
        return line.toString();
    }

    private LoadSettings closed(final Duration duration)
    {
        final LoadSettings load = settings.load();
        return new LoadSettings(load.host(), load.port(), load.connections(), load.threads(), Pacing.CLOSED, 0,
            load.maxArrivals(), duration, load.grace(), load.timeout());
    }

    private ScenarioResult run(final Target target, final LoadSettings load, final String label) throws Exception
    {
        final String tag = folder.getFileName() + "-" + target.name() + "-" + label;
        final ScenarioResult result = FloodScenarios.purchaseThroughput(target, load, settings.shoppers(), STOCK, tag);
        RunReport.write(result, folder.resolve(target.name()).resolve(label));
        for (final Check check : result.checks())
        {
            checks.add(new Check(target.name() + " " + label + ": " + check.name(), check.verdict(), check.detail()));
        }
        if (result.stats().abortReason() != null)
        {
            checks.add(Check.of(target.name() + " " + label + " ran to the end", false, result.stats().abortReason()));
        }
        final long errors = result.stats().errors();
        final long others = result.stats().completed() - reserved(result) - errors;
        checks.add(Check.of(target.name() + " " + label + ": every purchase answered", errors == 0, String.format("%,d errors", errors)));
        if (others > 0)
        {
            // Admission refusing an overload is the server doing its job, but the figure is then not of purchases only.
            notes.add(String.format("%s %s: %,d answers other than 201 (see its summary.txt)", target.name(), label, others));
        }
        return result;
    }

    private void stillInSync(final StandbyTarget target, final String after) throws Exception
    {
        final boolean inSync = target.inSync();
        checks.add(Check.of("the standby is still in sync after " + after, inSync, inSync ? "yes" : target.readiness().toString()));
    }

    private void verify(final String name, final Path journal) throws Exception
    {
        final JournalCheck.Verdict verdict = JournalCheck.verify(journal, folder.resolve(name + "-journal-verify.log"));
        if (verdict.check() != null)
        {
            checks.add(verdict.check());
        }
    }

    private static long reserved(final ScenarioResult result)
    {
        long reserved = 0;
        for (final StepStats step : result.stats().steps().values())
        {
            reserved += step.outcome(RESERVED);
        }
        return reserved;
    }

    private static double reservedPerSecond(final ScenarioResult result)
    {
        final long elapsed = result.stats().elapsedNanos();
        return elapsed <= 0 ? 0 : reserved(result) * 1e9 / elapsed;
    }

    private static double cpuMicrosPerPurchase(final double cpuSeconds, final ScenarioResult result)
    {
        final long reserved = reserved(result);
        return reserved == 0 ? Double.NaN : cpuSeconds * 1e6 / reserved;
    }

    private static long p99(final ScenarioResult result)
    {
        return Percentiles.of(result.stats().allLatencyMicros()).p99();
    }

    static double median(final double[] values)
    {
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String list(final double[] values, final String format)
    {
        final StringBuilder text = new StringBuilder();
        for (final double value : values)
        {
            text.append(text.length() == 0 ? "" : ", ").append(String.format(format, value));
        }
        return text.toString();
    }

    private void say(final String format, final Object... args)
    {
        out.printf("standby-cost: " + format + "%n", args);
        out.flush();
    }
}
