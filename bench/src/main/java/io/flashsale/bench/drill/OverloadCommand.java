package io.flashsale.bench.drill;

import io.flashsale.bench.drill.overload.OverloadDrill;
import io.flashsale.bench.drill.overload.OverloadReport;
import io.flashsale.bench.drill.overload.OverloadSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code flashsale drill overload}. Main thread. */
@Command(name = "overload", mixinStandardHelpOptions = true, description = {
    "Starts the server (child JVM), measures its capacity (purchases completed per second, closed loop), then",
    "offers --multiple times that, open loop, for --seconds to a contested flash sale (little stock; shoppers",
    "who reserve pay, cancel or walk away, so units keep coming back). Passes when the server stays up, every",
    "request gets a real outcome (2xx, 409, 410, 425, 429, 503) with none timing out or 500, purchases are",
    "answered quickly and admitted ones keep a bounded p99, heap and resident memory stay flat (sampled every",
    "second), and right after the load the server is ready and sells again. Report: report.json."})
final class OverloadCommand implements Callable<Integer>
{
    @Option(names = "--multiple", defaultValue = "3", description = "offered load as a multiple of the measured capacity (default ${DEFAULT-VALUE})")
    double multiple;

    @Option(names = "--seconds", defaultValue = "60", description = "how long the overload lasts (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--connections", defaultValue = "256", description = "HTTP connections of the overload (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--threads", defaultValue = "1", description = "generator event-loop threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "closed-loop warm-up before capacity is measured (default ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--measure-seconds", defaultValue = "10", description = "closed-loop capacity measurement (default ${DEFAULT-VALUE})")
    int measureSeconds;

    @Option(names = "--shoppers", defaultValue = "50000", description = "distinct shoppers, cycled (default ${DEFAULT-VALUE})")
    int shoppers;

    @Option(names = "--stock", defaultValue = "0", description = "units of the flash sale; 0: a tenth of a second of capacity (default ${DEFAULT-VALUE})")
    long stock;

    @Option(names = "--pay", defaultValue = "0.1", description = "share of reservations paid (default ${DEFAULT-VALUE})")
    double pay;

    @Option(names = "--cancel", defaultValue = "0.4", description = "share cancelled; the rest walk away (default ${DEFAULT-VALUE})")
    double cancel;

    @Option(names = "--payment-window", defaultValue = "3", description = "payment window of the flash sale, seconds (default ${DEFAULT-VALUE})")
    int paymentWindow;

    @Option(names = "--max-p99-ms", defaultValue = "1000", description = "verdict: p99 of every purchase answer (default ${DEFAULT-VALUE})")
    double maxP99;

    @Option(names = "--max-admitted-p99-ms", defaultValue = "1000", description = "verdict: p99 of reserved purchases (default ${DEFAULT-VALUE})")
    double maxAdmittedP99;

    @Option(names = "--server-io-threads", defaultValue = "0", description = "Undertow IO threads (0: one per core) (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--server-cpus", defaultValue = "", description = "CPUs the server runs on, a taskset list such as 1 or 2-3 (default: any)")
    String serverCpus;

    @Option(names = "--generator-cpus", defaultValue = "", description = "CPUs the generator runs on, such as 0 (default: any); "
        + "on a small machine split them, or the two compete and the load is never offered")
    String generatorCpus;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the shoppers' choices (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--server-java-opts", defaultValue = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch",
        description = "JVM options of the server, space separated; a heap resident from the start, so growth means a leak (default ${DEFAULT-VALUE})")
    String javaOptions;

    @Option(names = "--results", defaultValue = "results/drills", description = "each run gets a folder here (default ${DEFAULT-VALUE})")
    Path results;

    @Override
    public Integer call() throws Exception
    {
        final Path folder = DrillReports.folder(results, "overload");
        final OverloadReport report = new OverloadDrill(new OverloadSettings(multiple, seconds, connections, threads, warmupSeconds,
            measureSeconds, shoppers, stock, pay, cancel, paymentWindow, maxP99, maxAdmittedP99, ioThreads, serverCpus, generatorCpus, seed,
            JavaOptions.split(javaOptions), folder), System.out).run();
        System.out.println();
        System.out.print(report.summary());
        System.out.println("  report: " + folder.resolve("report.json"));
        return DrillReports.exitCode(report.verdict());
    }
}
