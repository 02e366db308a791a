package io.flashsale.bench.drill;

import io.flashsale.bench.drill.crash.CrashDrill;
import io.flashsale.bench.drill.crash.CrashSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code flashsale drill crash}; its options and their defaults are {@link CrashSettings.Builder}'s. Main thread. */
@Command(name = "crash", mixinStandardHelpOptions = true, description = {
    "Starts the server (child JVM, its own journal), drives a rush-like load over HTTP (purchases with",
    "Idempotency-Keys, payments, cancellations, double clicks), kill -9s it at a random moment, restarts it",
    "on the same journal and checks, against the client's own ledger of acknowledged answers: every order told",
    "RESERVED / PAID / CANCELLED is there in that state, no sale is oversold, the books hold no order nobody",
    "could have been told of, acknowledged Idempotency-Keys still answer their order, journal verify passes,",
    "and the server sells again. A kill inside a journal write leaves a torn tail: recovery cuts it by itself",
    "(never acknowledged) and the drill reports it; a server that still refuses to start is restarted with",
    "--truncate-torn-tail, as an operator would, and reported. Per cycle: commands in",
    "the journal, recovery time, acknowledged orders lost (must be 0)."})
final class CrashCommand implements Callable<Integer>
{
    @Mixin
    CrashSettings.Builder settings = CrashSettings.builder();

    @Mixin
    DrillRun run;

    @Override
    public Integer call() throws Exception
    {
        return run.run("crash", folder -> new CrashDrill(settings.folder(folder).build(), System.out).run());
    }
}
