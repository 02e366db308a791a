package io.flashsale.bench.drill;

import io.flashsale.bench.drill.crowd.CrowdDrill;
import io.flashsale.bench.drill.crowd.CrowdSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code flashsale drill crowd}; its options and their defaults are {@link CrowdSettings.Builder}'s. Main thread. */
@Command(name = "crowd", mixinStandardHelpOptions = true, description = {
    "Starts the server (child JVM) and sends it a crowd of distinct shoppers, each new to it: a token of its own,",
    "its purchase key, one purchase with an Idempotency-Key, and for buyers the same purchase again. Measures the",
    "server's live heap (full GC via jcmd) before, right after, after the idle expiry with no traffic, and after a",
    "trickle of newcomers; reports bytes per shopper and checks them against the budget: rate-limit state per",
    "active shopper until it expires, at most auth.tokenCacheSize cached tokens, and per buyer the order, the",
    "engine's slot and the idempotent reply. Needs jcmd (any full JDK). Report: report.json."})
final class CrowdCommand implements Callable<Integer>
{
    @Mixin
    CrowdSettings.Builder settings = CrowdSettings.builder();

    @Mixin
    DrillRun run;

    @Override
    public Integer call() throws Exception
    {
        return run.run("crowd", folder -> new CrowdDrill(settings.folder(folder).build(), System.out).run());
    }
}
