package io.flashsale.bench.drill;

import io.flashsale.bench.drill.overload.OverloadDrill;
import io.flashsale.bench.drill.overload.OverloadSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code flashsale drill overload}; its options and their defaults are {@link OverloadSettings.Builder}'s. Main thread. */
@Command(name = "overload", mixinStandardHelpOptions = true, description = {
    "Starts the server (child JVM), measures its capacity (purchases completed per second, closed loop), then",
    "offers --multiple times that, open loop, for --seconds to a contested flash sale (little stock; shoppers",
    "who reserve pay, cancel or walk away, so units keep coming back). Passes when the server stays up, every",
    "request gets a real outcome (2xx, 409, 410, 425, 429, 503) with none timing out or 500, purchases are",
    "answered quickly and admitted ones keep a bounded p99, heap and resident memory stay flat (sampled every",
    "second), and right after the load the server is ready and sells again. Report: report.json."})
final class OverloadCommand implements Callable<Integer>
{
    @Mixin
    OverloadSettings.Builder settings = OverloadSettings.builder();

    @Mixin
    DrillRun run;

    @Override
    public Integer call() throws Exception
    {
        return run.run("overload", folder -> new OverloadDrill(settings.folder(folder).build(), System.out).run());
    }
}
