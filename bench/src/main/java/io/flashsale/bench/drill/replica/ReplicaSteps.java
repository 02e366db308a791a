package io.flashsale.bench.drill.replica;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.bench.drill.DrillHttp;
import io.flashsale.bench.drill.diskfull.PurchaseLoad;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.system.JournalCheck;
import io.flashsale.bench.system.ServerProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The steps the replication drills (failover, partition) share: waiting for a node to be ready and
 * for its standby to be in sync, looking every acknowledged order up on the new primary, bringing
 * the old primary back as the new primary's standby, and {@code journal verify}. Stateless; the
 * drill's main thread.
 */
public final class ReplicaSteps
{
    /** Starts the old primary as a standby once more; {@code start} counts from 1. */
    @FunctionalInterface
    public interface StandbyLauncher
    {
        ServerProcess launch(int start) throws IOException;
    }

    private ReplicaSteps()
    {
    }

    /** {@code server} once it is ready; closed, with its log's tail in the exception, when it exits first. */
    public static ServerProcess ready(final ServerProcess server, final Duration patience) throws InterruptedException
    {
        final ServerProcess.Start start = server.awaitReady(patience);
        if (!start.ready())
        {
            server.close();
            throw new IllegalStateException("a server did not start (exit " + start.exitCode() + "); its log ends:\n" + start.logTail());
        }
        return server;
    }

    /** Waits until the primary's readiness says its standby is in sync; returns how long that took. */
    public static long awaitInSync(final DrillHttp primary, final Duration patience) throws Exception
    {
        final long started = System.nanoTime();
        final long deadline = started + patience.toNanos();
        while (!inSync(primary))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the standby was not in sync within " + patience.toSeconds() + " s: "
                    + primary.get("/health/ready", null).body());
            }
            Thread.sleep(50);
        }
        return millisSince(started);
    }

    /** What the node's readiness says of replication right now. */
    public static JsonNode replication(final DrillHttp node) throws IOException, InterruptedException
    {
        return node.get("/health/ready", null).json().path("replication");
    }

    private static boolean inSync(final DrillHttp primary) throws IOException, InterruptedException
    {
        return replication(primary).path("inSync").asBoolean();
    }

    /** Waits until {@code load} has an acknowledged order, so that something is at stake. */
    public static void awaitFirstAck(final PurchaseLoad load, final Duration patience) throws InterruptedException
    {
        final long deadline = System.nanoTime() + patience.toNanos();
        while (load.acknowledged().isEmpty())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the primary acknowledged no purchase within " + patience.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
    }

    /**
     * Looks up every acknowledged order in {@code node}'s admin view: each must be there under the
     * same id, RESERVED, for the same shopper. Prints the first few missing; returns how many were.
     */
    public static long lostOrders(final AdminClient node, final List<PurchaseLoad.Ack> acknowledged, final PrintStream out) throws Exception
    {
        long lost = 0;
        for (final PurchaseLoad.Ack ack : acknowledged)
        {
            final JsonNode order = node.order(ack.orderId());
            if (order == null || !"RESERVED".equals(order.path("state").asText()) || !ack.shopper().equals(order.path("shopper").asText()))
            {
                lost++;
                if (lost <= 5)
                {
                    out.println("  LOST order " + ack.orderId() + " of " + ack.shopper() + ": " + (order == null ? "not found" : order));
                }
            }
        }
        return lost;
    }

    /**
     * Restarts the old primary as the new primary's standby. Told where it diverged (a tail it
     * journaled that was never acknowledged), it marks its journal and exits, at once or just after
     * it said it was ready; started again, it sets that tail aside in {@code quarantine/}. It has
     * rejoined once the new primary says it is in sync.
     *
     * @return "yes ...", or "no: why"
     */
    public static String rejoin(final Path journal, final StandbyLauncher launcher, final DrillHttp newPrimary, final Duration patience)
        throws Exception
    {
        for (int start = 1; start <= 2; start++)
        {
            try (ServerProcess old = launcher.launch(start))
            {
                if (old.awaitReady(patience).ready() && inSyncWhileAlive(old, newPrimary, patience))
                {
                    final long quarantined = count(journal.resolve("quarantine"));
                    if (start == 1)
                    {
                        return "yes (it had no tail the standby never acknowledged)";
                    }
                    return quarantined > 0 ? "yes, its tail the standby never acknowledged quarantined (" + quarantined + " file(s) in quarantine/)"
                        : "no: it diverged but set nothing aside";
                }
                if (old.isAlive())
                {
                    return "no: not in sync within " + patience.toSeconds() + " s; log " + old.log();
                }
                if (start == 1 && !Files.exists(journal.resolve("diverged-after")))
                {
                    return "no: it exited without marking a divergence; log " + old.log();
                }
            }
        }
        return "no: restarted after its divergence, it exited again";
    }

    /** True once the new primary says its standby is in sync; false when {@code old} exits first or the patience runs out. */
    private static boolean inSyncWhileAlive(final ServerProcess old, final DrillHttp newPrimary, final Duration patience) throws Exception
    {
        final long deadline = System.nanoTime() + patience.toNanos();
        while (old.isAlive() && System.nanoTime() < deadline)
        {
            if (inSync(newPrimary))
            {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** {@code flashsale journal verify} on a stopped node's journal; its log in {@code folder}. */
    public static Check verify(final Path journal, final Path folder, final String name) throws IOException, InterruptedException
    {
        final JournalCheck.Verdict verdict = JournalCheck.verify(journal, folder.resolve("journal-verify-" + name + ".log"));
        return verdict.check() != null ? verdict.check() : Check.notJudged("flashsale journal verify (" + name + ")", verdict.notRun());
    }

    private static long count(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.count();
        }
    }

    public static long millisSince(final long nanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
