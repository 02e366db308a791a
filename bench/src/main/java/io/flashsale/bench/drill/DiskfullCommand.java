package io.flashsale.bench.drill;

import io.flashsale.bench.drill.diskfull.DiskfullDrill;
import io.flashsale.bench.drill.diskfull.DiskfullSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code flashsale drill diskfull}; its options and their defaults are {@link DiskfullSettings.Builder}'s. Main thread. */
@Command(name = "diskfull", mixinStandardHelpOptions = true, description = {
    "Mounts a small tmpfs (root only; NOT JUDGED where mounting is refused), starts",
    "the server (child JVM) with its journal there, drives purchases over HTTP and",
    "fills the file system with another file while they run. Checks: 503",
    "journal-full and readiness false (with the reason) before the disk is full;",
    "every request answered within the bound; the journal never failing; reads",
    "going on; ready and selling again once the file is deleted; then kill -9 and",
    "restart: every acknowledged order in the recovered books, journal verify",
    "passes. Unmounts after."})
final class DiskfullCommand implements Callable<Integer>
{
    @Mixin
    DiskfullSettings.Builder settings = DiskfullSettings.builder();

    @Mixin
    DrillRun run;

    @Override
    public Integer call() throws Exception
    {
        return run.run("diskfull", folder -> new DiskfullDrill(settings.folder(folder).build(), System.out).run());
    }
}
