package io.flashsale.journal.audit;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.journal.snapshot.SnapshotStore;
import io.flashsale.journal.snapshot.SnapshotStore.SnapshotFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * During a replay of the whole history, compares each snapshot on disk with the replayed state at
 * the sequence it covers. A difference means the engine is not deterministic or a snapshot lies;
 * either way recovery from that snapshot would give a state the journal does not describe: a
 * violation.
 * Snapshots that cannot be read are reported as warnings: recovery passes over them.
 *
 * <p>Single-threaded: the replay thread. Loads one snapshot at a time.
 */
public final class SnapshotCrossCheck
{
    private final SnapshotStore store;
    private final Deque<SnapshotFile> pending = new ArrayDeque<>();
    private final List<String> warnings = new ArrayList<>();
    private int matched;

    public SnapshotCrossCheck(final Path snapshotDir) throws IOException
    {
        this.store = new SnapshotStore(snapshotDir);
        final List<SnapshotFile> newestFirst = store.list();
        for (final SnapshotFile file : newestFirst)
        {
            pending.addFirst(file); // oldest first
        }
    }

    /** @return null, or how the snapshot covering {@code sequence} differs from {@code engine} */
    public String check(final long sequence, final SaleEngine engine)
    {
        while (!pending.isEmpty() && pending.peekFirst().sequence() <= sequence)
        {
            final SnapshotFile file = pending.pollFirst();
            if (file.sequence() < sequence)
            {
                continue; // only a snapshot of sequence 0 could be passed over, and none is written
            }
            final SaleEngine snapshot;
            try
            {
                snapshot = store.load(file, new SaleViews()).engine();
            }
            catch (final IOException ex)
            {
                warnings.add("snapshot " + file.path().getFileName() + " is unreadable (" + ex.getMessage() + "); recovery passes over it");
                continue;
            }
            if (sameState(snapshot, engine))
            {
                matched++;
            }
            else
            {
                return "snapshot " + file.path().getFileName() + " differs from the state replayed from the journal at sequence " + sequence;
            }
        }
        return null;
    }

    /**
     * A snapshot written by an engine restored from a format 1 snapshot (before subjects) may name
     * fewer shoppers than the replay of the whole journal; everything else must still agree.
     */
    private static boolean sameState(final SaleEngine snapshot, final SaleEngine replayed)
    {
        if (snapshot.namesEveryShopper() && replayed.namesEveryShopper())
        {
            return EngineSnapshot.stateHash(snapshot) == EngineSnapshot.stateHash(replayed);
        }
        return EngineSnapshot.stateHashWithoutSubjects(snapshot) == EngineSnapshot.stateHashWithoutSubjects(replayed);
    }

    /** Call after the replay: snapshots beyond the journal's end are reported. */
    public List<String> finish(final long lastSequence)
    {
        for (final SnapshotFile file : pending)
        {
            warnings.add("snapshot " + file.path().getFileName() + " covers " + file.sequence() + " commands but the journal ends at " +
                lastSequence + " (recovery will refuse to start)");
        }
        pending.clear();
        return warnings;
    }

    public int matched()
    {
        return matched;
    }
}
