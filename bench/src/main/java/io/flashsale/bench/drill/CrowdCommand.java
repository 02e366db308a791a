package io.flashsale.bench.drill;

import io.flashsale.bench.drill.crowd.CrowdDrill;
import io.flashsale.bench.drill.crowd.CrowdReport;
import io.flashsale.bench.drill.crowd.CrowdSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code flashsale drill crowd}. Main thread. */
@Command(name = "crowd", mixinStandardHelpOptions = true, description = {
    "Starts the server (child JVM) and sends it a crowd of distinct shoppers, each new to it: a token of its own,",
    "its purchase key, one purchase with an Idempotency-Key, and for buyers the same purchase again. Measures the",
    "server's live heap (full GC via jcmd) before, right after, after the idle expiry with no traffic, and after a",
    "trickle of newcomers; reports bytes per shopper and checks them against the budget: rate-limit state per",
    "active shopper until it expires, at most auth.tokenCacheSize cached tokens, and per buyer the order, the",
    "engine's slot and the idempotent reply. Needs jcmd (any full JDK). Report: report.json."})
final class CrowdCommand implements Callable<Integer>
{
    @Option(names = "--shoppers", defaultValue = "1000000", description = "distinct shoppers (default ${DEFAULT-VALUE})")
    int shoppers;

    @Option(names = "--buyers", defaultValue = "0.1", description = "share of the crowd the stock serves (default ${DEFAULT-VALUE})")
    double buyers;

    @Option(names = "--connections", defaultValue = "64", description = "HTTP connections, closed loop (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--expiry-seconds", defaultValue = "30", description = "the server's limits.idleExpirySeconds (default ${DEFAULT-VALUE})")
    int expirySeconds;

    @Option(names = "--token-cache", defaultValue = "100000", description = "the server's auth.tokenCacheSize (default ${DEFAULT-VALUE})")
    int tokenCache;

    @Option(names = "--shopper-budget", defaultValue = "512", description = "bytes per active shopper (default ${DEFAULT-VALUE})")
    long shopperBudget;

    @Option(names = "--token-budget", defaultValue = "512", description = "bytes per cached token (default ${DEFAULT-VALUE})")
    long tokenBudget;

    @Option(names = "--buyer-budget", defaultValue = "1024", description = "bytes per buyer (default ${DEFAULT-VALUE})")
    long buyerBudget;

    @Option(names = "--max-seconds", defaultValue = "1800", description = "bound on the crowd's duration (default ${DEFAULT-VALUE})")
    int maxSeconds;

    @Option(names = "--server-io-threads", defaultValue = "0", description = "Undertow IO threads (0: one per core) (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--server-java-opts", defaultValue = "-Xmx2g", description = "JVM options of the server, space separated (default ${DEFAULT-VALUE})")
    String javaOptions;

    @Option(names = "--results", defaultValue = "results/drills", description = "each run gets a folder here (default ${DEFAULT-VALUE})")
    Path results;

    @Override
    public Integer call() throws Exception
    {
        final Path folder = DrillReports.folder(results, "crowd");
        final CrowdReport report = new CrowdDrill(new CrowdSettings(shoppers, buyers, connections, expirySeconds, tokenCache,
            shopperBudget, tokenBudget, buyerBudget, maxSeconds, ioThreads, JavaOptions.split(javaOptions), folder), System.out).run();
        System.out.println();
        System.out.print(report.summary());
        System.out.println("  report: " + folder.resolve("report.json"));
        return DrillReports.exitCode(report.verdict());
    }
}
