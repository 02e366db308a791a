package io.flashsale.bench.drill;

import io.flashsale.bench.drill.failover.FailoverDrill;
import io.flashsale.bench.drill.failover.FailoverSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code flashsale drill failover}; its options and their defaults are {@link FailoverSettings.Builder}'s. Main thread. */
@Command(name = "failover", mixinStandardHelpOptions = true, description = {
    "Starts a primary (serve --replication-link) and a hot standby (standby --primary),",
    "two child JVMs; once the standby is in sync, drives purchases at the primary and",
    "kills it with SIGKILL at a random moment of the load window; promotes the standby",
    "(POST /admin/replication/promote) and buys until it accepts. Reports the time",
    "from the kill to that first 201 and looks up every acknowledged order on the new",
    "primary (sync: none may be lost; async: reported, not judged); restarts the old",
    "primary as the new one's standby (its unacknowledged tail quarantined) until it",
    "is in sync; journal verify on both journals. With --auto-promote nobody promotes:",
    "the standby promotes itself after --failover-after-millis of silence, and the",
    "drill measures the kill to the first purchase it accepts. With --edges N the cores",
    "open edge links and N edges given both (edge --core PRIMARY --core STANDBY) carry",
    "the load (through the first); each must follow the promoted standby by itself."})
final class FailoverCommand implements Callable<Integer>
{
    @Mixin
    FailoverSettings.Builder settings = FailoverSettings.builder();

    @Mixin
    DrillRun run;

    @Override
    public Integer call() throws Exception
    {
        return run.run("failover", folder -> new FailoverDrill(settings.folder(folder).build(), System.out).run());
    }
}
