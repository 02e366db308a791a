package io.flashsale.bench.edge;

import io.flashsale.bench.link.LinkAbsorption;
import io.flashsale.bench.load.Answer;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadRequest;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.load.Workload;
import io.flashsale.bench.report.Percentiles;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Crowd;
import io.flashsale.bench.scenario.FloodScenarios;
import io.flashsale.bench.scenario.JsonPeek;
import io.flashsale.bench.scenario.ScenarioResult;
import io.flashsale.bench.system.EdgeTarget;
import io.flashsale.bench.system.FlashsaleTarget;
import io.flashsale.bench.system.ServerProcess;
import io.flashsale.bench.system.Target;
import io.netty.handler.codec.http.HttpMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The edge deployment's figures, each a ratio or a time within one run ({@code scripts/bench-edges}):
 * <ol>
 *   <li>{@code cpu}: the core's CPU seconds (from /proc/PID/stat) during a sold-out flood through
 *       nginx and the edges, beside the single-process server's for the same flood;</li>
 *   <li>{@code p99}: purchase p99 at one open-loop rate through nginx, an edge and the core,
 *       beside the single-process server's;</li>
 *   <li>{@code jump}: a flood starts on one edge; how long until each edge sheds (its p fell):
 *       the demand must reach the core in a report and the new p every edge in a push;</li>
 *   <li>{@code absorb}: purchases per second a core applies from a pre-encoded link sender
 *       ({@link LinkAbsorption#againstCore}), ÷ purchases per second through its own HTTP
 *       front (closed loop), the same core in the same run.</li>
 * </ol>
 * Every server is a child process started and stopped here; the results go to
 * {@code results/<time>-edges/}. Main thread.
 */
@Command(name = "bench-edges", mixinStandardHelpOptions = true, description = "The edge deployment's figures: cpu, p99, jump, absorb (all by default).")
public final class EdgeFigures implements Callable<Integer>
{
    @Option(names = "--figures", split = ",", defaultValue = "cpu,p99,jump,absorb", description = "which figures (default ${DEFAULT-VALUE})")
    List<String> figures;

    @Option(names = "--edges", defaultValue = "2", description = "edge processes (default ${DEFAULT-VALUE})")
    int edges;

    @Option(names = "--flood-rate", defaultValue = "4000", description = "sold-out flood, requests/s, open loop (default ${DEFAULT-VALUE})")
    double floodRate;

    @Option(names = "--purchase-rate", defaultValue = "1000", description = "purchases/s for the p99, open loop (default ${DEFAULT-VALUE})")
    double purchaseRate;

    @Option(names = "--seconds", defaultValue = "10", description = "seconds per measured run (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--connections", defaultValue = "64", description = "HTTP connections (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--results", defaultValue = "results", description = "folder under which the run gets its own (default ${DEFAULT-VALUE})")
    Path results;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new EdgeFigures()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        final Path folder = results.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-edges");
        final FlashsaleTarget.Options options = new FlashsaleTarget.Options(FlashsaleTarget.Mode.CHILD, 0, true, null, null, List.of("-Xmx1g"));
        say("results in %s; %d cores; load average at start %.1f", folder, Runtime.getRuntime().availableProcessors(), loadAverage());
        if (figures.contains("cpu") || figures.contains("p99"))
        {
            try (FlashsaleTarget single = FlashsaleTarget.start(options, folder.resolve("single"));
                 EdgeTarget deployment = EdgeTarget.start(options, edges, folder.resolve("edges")))
            {
                warm(single);
                warm(deployment);
                if (figures.contains("cpu"))
                {
                    cpu(single, deployment);
                }
                if (figures.contains("p99"))
                {
                    p99(single, deployment);
                }
            }
        }
        if (figures.contains("jump"))
        {
            // The floor (admission.alwaysAdmitPerSecond, 1,000/s) off: the figure is how fast a jump in
            // demand reaches every edge's p, and on a loaded 2-core machine the flood's achieved rate at
            // the draw is too close to the floor for p to move at once.
            try (EdgeTarget deployment = EdgeTarget.start(options, edges, folder.resolve("jump"), core -> core.admission.alwaysAdmitPerSecond = 0))
            {
                jump(deployment);
            }
        }
        if (figures.contains("absorb"))
        {
            absorb(folder.resolve("absorb"));
        }
        return 0;
    }

    private void warm(final Target target) throws Exception
    {
        FloodScenarios.purchaseThroughput(target, closed(3), 1_000, 1_000_000_000L, "warm-" + target.name());
        FloodScenarios.soldOutFlood(target, closed(3), 1_000, "warm-flood-" + target.name());
    }

    private void cpu(final FlashsaleTarget single, final EdgeTarget deployment) throws Exception
    {
        final LoadSettings flood = open(floodRate);
        final double singleBefore = single.cpuSeconds();
        final ScenarioResult alone = FloodScenarios.soldOutFlood(single, flood, 10_000, "cpu-single");
        final double singleCpu = single.cpuSeconds() - singleBefore;

        final ServerProcess core = deployment.deployment().core();
        final double coreBefore = core.cpuSeconds();
        final double edgesBefore = edgesCpu(deployment);
        final double nginxBefore = treeCpu(deployment.deployment().nginx().pid());
        final ScenarioResult through = FloodScenarios.soldOutFlood(deployment, flood, 10_000, "cpu-edges");
        final double coreCpu = core.cpuSeconds() - coreBefore;
        final double edgesCpu = edgesCpu(deployment) - edgesBefore;
        final double nginxCpu = treeCpu(deployment.deployment().nginx().pid()) - nginxBefore;

        say("cpu: sold-out flood at %,.0f/s for %d s: single process %.2f CPU s (%,.0f answers/s); through nginx and %d edges: "
                + "core %.2f CPU s, edges %.2f, nginx %.2f (%,.0f answers/s); core ÷ single process = %.3f",
            floodRate, seconds, singleCpu, alone.stats().throughput(), edges, coreCpu, edgesCpu, nginxCpu, through.stats().throughput(),
            coreCpu / singleCpu);
    }

    private static double edgesCpu(final EdgeTarget deployment)
    {
        return deployment.deployment().edges().stream().mapToDouble(ServerProcess::cpuSeconds).sum();
    }

    /** CPU seconds of a process and its children (nginx's workers), as far as the JDK can read them. */
    private static double treeCpu(final long pid)
    {
        final ProcessHandle root = ProcessHandle.of(pid).orElse(null);
        if (root == null)
        {
            return Double.NaN;
        }
        double total = root.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        for (final ProcessHandle child : root.descendants().toList())
        {
            total += child.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        }
        return total;
    }

    private void p99(final FlashsaleTarget single, final EdgeTarget deployment) throws Exception
    {
        final ScenarioResult alone = FloodScenarios.purchaseThroughput(single, open(purchaseRate), 10_000, 1_000_000_000L, "p99-single");
        final ScenarioResult through = FloodScenarios.purchaseThroughput(deployment, open(purchaseRate), 10_000, 1_000_000_000L, "p99-edges");
        final long singleP99 = Percentiles.of(alone.stats().steps().get("purchase").latencyMicros()).p99();
        final long edgesP99 = Percentiles.of(through.stats().steps().get("purchase").latencyMicros()).p99();
        say("p99: purchases at %,.0f/s for %d s: single process p99 %s ms (p50 %s ms, %s); nginx -> edge -> core p99 %s ms (p50 %s ms, %s); "
                + "edges ÷ single = %.2f", purchaseRate, seconds, Percentiles.millis(singleP99),
            Percentiles.millis(Percentiles.of(alone.stats().steps().get("purchase").latencyMicros()).p50()),
            alone.stats().steps().get("purchase").outcomes(), Percentiles.millis(edgesP99),
            Percentiles.millis(Percentiles.of(through.stats().steps().get("purchase").latencyMicros()).p50()),
            through.stats().steps().get("purchase").outcomes(), edgesP99 / (double)Math.max(1, singleP99));
    }

    /**
     * Twenty shoppers each hold their one unit of forty: twenty stay available, so p is 1 for a
     * trickle (100/s on the quiet edge) and falls when the flood (3,000/s on the busy edge)
     * starts. For each edge: the first "not admitted" after the flood's first request.
     */
    private void jump(final EdgeTarget target) throws Exception
    {
        final AdminClient admin = new AdminClient(target.host(), target.port(), target.secret());
        final Instant now = Instant.now();
        final long saleId = admin.createSale(new AdminClient.SaleTerms("demand jump", 40, now.minusSeconds(1), now.plus(Duration.ofHours(1)), 1, 3600));
        final Crowd holders = Crowd.mint(target.secret(), "jump", 20, Duration.ofHours(1)).withKeysFor(saleId);
        for (int i = 0; i < holders.size(); i++)
        {
            admin.purchase(saleId, holders.authorization(i), holders.key(i), 1);
        }
        target.awaitSaleView(saleId, 20);
        final ServerProcess busy = target.deployment().edges().get(0);
        final ServerProcess quiet = target.deployment().edges().get(target.deployment().edges().size() - 1);
        final long trickleStart = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        final long jumpAt = trickleStart + TimeUnit.SECONDS.toNanos(2);
        final FirstShed onQuiet = new FirstShed(holders, saleId, jumpAt);
        final FirstShed onBusy = new FirstShed(holders, saleId, jumpAt);
        final ExecutorService loads = Executors.newFixedThreadPool(2);
        try
        {
            final Future<?> trickle = loads.submit(() -> LoadGenerator.run(new LoadSettings("127.0.0.1", quiet.port(), 4, 1, Pacing.RATE, 100, 400,
                Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(10)), loop -> onQuiet, trickleStart));
            final Future<?> flood = loads.submit(() -> LoadGenerator.run(new LoadSettings("127.0.0.1", busy.port(), 16, 1, Pacing.RATE, 3_000, 6_000,
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)), loop -> onBusy, jumpAt));
            trickle.get(60, TimeUnit.SECONDS);
            flood.get(60, TimeUnit.SECONDS);
        }
        finally
        {
            loads.shutdownNow();
        }
        say("jump: p = 1 under a trickle of 100/s on the quiet edge; a flood of 3,000/s starts on the busy edge; first shed on the busy edge "
                + "%s ms, on the quiet edge %s ms after the flood's first request (sheds before it: quiet %d, busy %d)",
            millis(onBusy.firstShedAfterJumpNanos), millis(onQuiet.firstShedAfterJumpNanos), onQuiet.shedBeforeJump, onBusy.shedBeforeJump);
    }

    private static String millis(final long nanos)
    {
        return nanos < 0 ? "never" : String.format("%.0f", nanos / 1e6);
    }

    /** Purchases by the holders, noting the first "not admitted" answered after the jump. Loop thread only. */
    private static final class FirstShed implements Workload
    {
        private final Crowd crowd;
        private final String path;
        private final long jumpAtNanos;
        long firstShedAfterJumpNanos = -1;
        long shedBeforeJump;

        FirstShed(final Crowd crowd, final long saleId, final long jumpAtNanos)
        {
            this.crowd = crowd;
            this.path = "/api/sales/" + saleId + "/purchase";
            this.jumpAtNanos = jumpAtNanos;
        }

        @Override
        public LoadRequest arrive(final long index)
        {
            final int shopper = (int)(index % crowd.size());
            final byte[] body = ("{\"qty\":1,\"key\":\"" + crowd.key(shopper) + "\"}").getBytes(StandardCharsets.US_ASCII);
            return new LoadRequest("purchase", HttpMethod.POST, path, crowd.authorization(shopper), body, shopper, index);
        }

        @Override
        public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps followUps)
        {
            final String outcome = JsonPeek.stringField(answer.body(), "outcome");
            if ("NOT_ADMITTED".equals(outcome))
            {
                final long now = System.nanoTime();
                if (now < jumpAtNanos)
                {
                    shedBeforeJump++;
                }
                else if (firstShedAfterJumpNanos < 0)
                {
                    firstShedAfterJumpNanos = now - jumpAtNanos;
                }
            }
            return answer.status() + " " + outcome;
        }
    }

    /** A core with its link open; the pre-encoded sender, then the HTTP flood, one after the other. */
    private void absorb(final Path folder) throws Exception
    {
        final byte[] secret = io.flashsale.bench.system.Secrets.random();
        final io.flashsale.http.config.ServerConfig config = new io.flashsale.http.config.ServerConfig();
        config.journal.directory = folder.resolve("journal").toAbsolutePath().toString();
        config.limits.enabled = false;
        config.admission.enabled = false;
        final String link = "127.0.0.1:" + freeUdpPort();
        config.edges.link = link;
        final ServerProcess core = ServerProcess.launch(config, secret, List.of("-Xmx1g"), false, folder, "core");
        try
        {
            if (!core.awaitReady(Duration.ofSeconds(120)).ready())
            {
                throw new IllegalStateException("the core did not start: " + core.logTail());
            }
            final Target http = new RunningCore(core, secret, Path.of(config.journal.directory));
            final AdminClient admin = new AdminClient("127.0.0.1", core.port(), secret);
            final Instant now = Instant.now();
            final long saleId = admin.createSale(new AdminClient.SaleTerms("absorb", 1_000_000_000L, now.minusSeconds(1),
                now.plus(Duration.ofHours(1)), 1_000_000, 3600));
            // HTTP first, while the engine's books are small, so the link's larger books never weigh on the front's figure.
            FloodScenarios.purchaseThroughput(http, closed(3), 10_000, 1_000_000_000L, "absorb-warm");
            final ScenarioResult overHttp = FloodScenarios.purchaseThroughput(http, closed(seconds), 10_000, 1_000_000_000L, "absorb-http");
            final double httpPerSecond = overHttp.stats().steps().get("purchase").outcome("201 RESERVED") * 1e9 / overHttp.stats().elapsedNanos();
            say("absorb: HTTP front, closed loop: %s in %.1f s", overHttp.stats().steps().get("purchase").outcomes(), overHttp.stats().elapsedNanos() / 1e9);
            final LinkAbsorption.CoreAbsorption overLink = LinkAbsorption.againstCore(link, secret, saleId, 4_000_000, 2, seconds);
            say("absorb: the core applied %,.0f purchases/s from the pre-encoded link sender over %.1f s (BUSY %,.0f/s; pool of %,d purchases in "
                    + "%,d frames%s) and %,.0f purchases/s through its own HTTP front (closed loop, %d connections); link ÷ HTTP = %.1f",
                overLink.reservedPerSecond(), overLink.seconds(), overLink.otherPerSecond(), overLink.purchases(), overLink.frames(),
                overLink.poolRanOut() ? ", which ran out" : "", httpPerSecond, connections, overLink.reservedPerSecond() / httpPerSecond);
        }
        finally
        {
            core.close();
        }
    }

    private static int freeUdpPort() throws java.io.IOException
    {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /** A server this class started itself, as a target for the flood scenarios. */
    private record RunningCore(ServerProcess process, byte[] secret, Path journalDirectory) implements Target
    {
        @Override
        public String name()
        {
            return "flashsale-core";
        }

        @Override
        public String description()
        {
            return "core with its link open, pid " + process.pid();
        }

        @Override
        public int port()
        {
            return process.port();
        }

        @Override
        public boolean keepsBooks()
        {
            return true;
        }

        @Override
        public void close()
        {
            process.close();
        }
    }

    private LoadSettings open(final double rate)
    {
        return new LoadSettings("127.0.0.1", 0, connections, 1, Pacing.RATE, rate, (long)(rate * seconds), Duration.ofSeconds(seconds),
            Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    /** At most 100 M arrivals: the flood scenarios size each shopper's limit from it (10,000 shoppers: 10,000 units each). */
    private LoadSettings closed(final int runSeconds)
    {
        return new LoadSettings("127.0.0.1", 0, connections, 1, Pacing.CLOSED, 0, 100_000_000L, Duration.ofSeconds(runSeconds),
            Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    private static double loadAverage()
    {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void say(final String format, final Object... args)
    {
        System.out.printf("bench-edges: " + format + "%n", args);
        System.out.flush();
    }
}
