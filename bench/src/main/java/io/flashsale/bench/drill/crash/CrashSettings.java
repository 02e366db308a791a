package io.flashsale.bench.drill.crash;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How a crash drill runs: cycles, the journal sync policy of the killed servers ({@code ASYNC},
 * {@code BATCH}, or {@code BOTH}: odd cycles ASYNC, even cycles BATCH), the load (shoppers, rate,
 * connections), when the kill may come, the limited sale's stock, how often the server snapshots,
 * the seed of every random choice, extra JVM options of the server, and the drill's folder.
 *
 * @param loadMillis    the kill comes at a random moment between {@code minKillMillis} and this, after the load starts
 * @param snapshotEvery the server snapshots after this many journaled commands (recovery = snapshot + replay)
 */
public record CrashSettings(
    int cycles,
    String syncPolicy,
    int shoppers,
    double rate,
    int connections,
    long minKillMillis,
    long loadMillis,
    long limitedStock,
    long snapshotEvery,
    int ioThreads,
    long seed,
    List<String> jvmOptions,
    Path folder)
{
    public CrashSettings
    {
        syncPolicy = syncPolicy.toUpperCase(Locale.ROOT);
        if (!List.of("ASYNC", "BATCH", "BOTH").contains(syncPolicy))
        {
            throw new IllegalArgumentException("--sync must be ASYNC, BATCH or BOTH, was " + syncPolicy);
        }
        if (cycles < 1 || cycles > 10_000)
        {
            throw new IllegalArgumentException("--cycles must be between 1 and 10000, was " + cycles);
        }
        if (shoppers < 1 || shoppers > 1_000_000)
        {
            throw new IllegalArgumentException("--shoppers must be between 1 and 1000000, was " + shoppers);
        }
        if (minKillMillis < 0 || loadMillis <= minKillMillis || loadMillis > 600_000)
        {
            throw new IllegalArgumentException("the kill window must lie within 0 < --load-seconds <= 600, was "
                + minKillMillis + ".." + loadMillis + " ms");
        }
    }

    /** The sync policy of the server killed in {@code cycle} (from 1). */
    public String sync(final int cycle)
    {
        return syncPolicy.equals("BOTH") ? (cycle % 2 == 1 ? "ASYNC" : "BATCH") : syncPolicy;
    }

    String syncLabel()
    {
        return syncPolicy.equals("BOTH") ? "ASYNC and BATCH in turn" : syncPolicy;
    }

    String describe()
    {
        return String.format("%d cycles, sync %s, %,d shoppers, open loop at %,.0f req/s over %d connections, kill %d-%d ms into the load, "
            + "limited stock %,d, snapshot every %,d commands, seed %d", cycles, syncLabel(), shoppers, rate, connections,
            minKillMillis, loadMillis, limitedStock, snapshotEvery, seed);
    }
}
