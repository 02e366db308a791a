package io.flashsale.bench.drill;

import io.flashsale.bench.drill.crash.CrashDrill;
import io.flashsale.bench.drill.crash.CrashReport;
import io.flashsale.bench.drill.crash.CrashSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code flashsale drill crash}. Main thread. */
@Command(name = "crash", mixinStandardHelpOptions = true, description = {
    "Starts the server (child JVM, its own journal), drives a rush-like load over HTTP (purchases with",
    "Idempotency-Keys, payments, cancellations, double clicks), kill -9s it at a random moment, restarts it",
    "on the same journal and checks, against the client's own ledger of acknowledged answers: every order told",
    "RESERVED / PAID / CANCELLED is there in that state, no sale is oversold, the books hold no order nobody",
    "could have been told of, acknowledged Idempotency-Keys still answer their order, journal verify passes,",
    "and the server sells again. A kill inside a journal write leaves a torn tail: the server refuses it and",
    "the drill restarts with --truncate-torn-tail, as an operator would, and reports it. Per cycle: commands in",
    "the journal, recovery time, acknowledged orders lost (must be 0)."})
final class CrashCommand implements Callable<Integer>
{
    @Option(names = "--cycles", defaultValue = "4", description = "load-kill-restart cycles (default ${DEFAULT-VALUE})")
    int cycles;

    @Option(names = "--sync", defaultValue = "both", description = "journal sync of the killed servers: async, batch, or both in turn (default ${DEFAULT-VALUE})")
    String sync;

    @Option(names = "--shoppers", defaultValue = "2000", description = "distinct shoppers (default ${DEFAULT-VALUE})")
    int shoppers;

    @Option(names = "--rate", defaultValue = "1000", description = "arrivals per second, open loop (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--connections", defaultValue = "32", description = "HTTP connections (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--load-seconds", defaultValue = "4", description = "the kill comes at a random moment within this many seconds of load (default ${DEFAULT-VALUE})")
    double loadSeconds;

    @Option(names = "--limited-stock", defaultValue = "300", description = "units of the sale the crowd sells out (default ${DEFAULT-VALUE})")
    long limitedStock;

    @Option(names = "--snapshot-every", defaultValue = "2000", description = "server snapshots every N journaled commands (default ${DEFAULT-VALUE})")
    long snapshotEvery;

    @Option(names = "--server-io-threads", defaultValue = "0", description = "Undertow IO threads (0: one per core) (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the kill moments and the crowd's choices (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--server-java-opts", defaultValue = "-Xmx1g", description = "JVM options of the server, space separated (default ${DEFAULT-VALUE})")
    String javaOptions;

    @Option(names = "--results", defaultValue = "results/drills", description = "each run gets a folder here (default ${DEFAULT-VALUE})")
    Path results;

    @Override
    public Integer call() throws Exception
    {
        final Path folder = DrillReports.folder(results, "crash");
        final CrashSettings settings = new CrashSettings(cycles, sync, shoppers, rate, connections, 300,
            Math.max(400, (long)(loadSeconds * 1000)), limitedStock, snapshotEvery, ioThreads, seed, JavaOptions.split(javaOptions), folder);
        final CrashReport report = new CrashDrill(settings, System.out).run();
        System.out.println();
        System.out.print(report.summary());
        System.out.println("  report: " + folder.resolve("report.json"));
        return report.passed() ? 0 : 1;
    }
}
