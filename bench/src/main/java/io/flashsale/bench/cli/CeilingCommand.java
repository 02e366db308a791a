package io.flashsale.bench.cli;

import io.flashsale.bench.load.GetWorkload;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.load.Wrk;
import io.flashsale.bench.report.Percentiles;
import io.flashsale.bench.system.Target;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code flashsale bench ceiling}: the generator's own limit, against wrk, on the bare server. */
@Command(name = "ceiling", mixinStandardHelpOptions = true, description = "How fast the generator itself can go: closed-loop GET / against the bare Undertow \"ok\" server, then wrk with the same connections on the same server, in the same run. A ratio near 1 or above means the generator is not what limits the other figures. Needs wrk (apt-get install wrk).")
final class CeilingCommand implements Callable<Integer>
{
    @Mixin
    LoadOptions load;

    @Mixin
    TargetOptions targets;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Path folder = ScenarioRun.folder(targets.results, "ceiling", "bare");
        final var settings = load.settings(1).paced(Pacing.CLOSED, 0, load.maxRequests);
        try (Target bare = targets.open(TargetOptions.Kind.bare, folder))
        {
            final var at = settings.at(bare.host(), bare.port());
            LoadGenerator.run(at, loop -> new GetWorkload("/")); // warm-up: JIT on both sides
            final LoadStats generator = LoadGenerator.run(at, loop -> new GetWorkload("/"));
            final Wrk.Result wrk = Wrk.run("http://127.0.0.1:" + bare.port() + "/", 1, settings.connections(), settings.duration(),
                folder.resolve("wrk.txt"));
            final Percentiles p = Percentiles.of(generator.allLatencyMicros());
            final String text = String.format(
                "generator ceiling on the bare server (%s; %s transport)%n"
                    + "  generator  %,10.0f req/s   p50 %s ms  p90 %s ms  p99 %s ms  (%,d errors)%n"
                    + "  wrk -t1    %,10.0f req/s   p50 %s ms  p90 %s ms  p99 %s ms%n"
                    + "  generator / wrk = %.2f%n"
                    + "machine: %s%n",
                settings.describe(), LoadGenerator.transport(),
                generator.throughput(), Percentiles.millis(p.p50()), Percentiles.millis(p.p90()), Percentiles.millis(p.p99()), generator.errors(),
                wrk.requestsPerSecond(), Percentiles.millis(wrk.p50Micros()), Percentiles.millis(wrk.p90Micros()), Percentiles.millis(wrk.p99Micros()),
                generator.throughput() / wrk.requestsPerSecond(), Machine.describe());
            Files.writeString(folder.resolve("ceiling.txt"), text);
            out.print(text);
            out.flush();
        }
        return 0;
    }
}
