package io.flashsale.bench.drill;

import io.flashsale.bench.drill.partition.PartitionDrill;
import io.flashsale.bench.drill.partition.PartitionSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code flashsale drill partition}; its options and their defaults are {@link PartitionSettings.Builder}'s. Main thread. */
@Command(name = "partition", mixinStandardHelpOptions = true, description = {
    "Needs root and iproute2. Starts a sync primary (onStandbyLost: stall) and its hot",
    "standby in network namespaces fsp-a and fsp-b (10.214.0.0/16), replicating over a",
    "veth pair; purchase clients reach both from this namespace. Under load: netem",
    "delay and loss on the replication path (still acknowledged), then loss 100%%: the",
    "primary must stall (503 replication-stalled), never acknowledge alone. Promotes the",
    "standby, buys from it, heals the path (the old primary must still refuse), restarts",
    "the old primary as the new one's standby (its unacknowledged tail quarantined).",
    "Checks: every 201 on the new primary, journal verify on both journals, both",
    "journals identical through the last acknowledged sequence."})
final class PartitionCommand implements Callable<Integer>
{
    @Mixin
    PartitionSettings.Builder settings = PartitionSettings.builder();

    @Mixin
    DrillRun run;

    @Override
    public Integer call() throws Exception
    {
        return run.run("partition", folder -> new PartitionDrill(settings.folder(folder).build(), System.out).run());
    }
}
