package io.flashsale.journal.audit;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.journal.snapshot.ByteArrayDataInput;
import io.flashsale.journal.snapshot.ByteArrayDataOutput;
import io.flashsale.journal.snapshot.SnapshotStore;
import io.flashsale.journal.snapshot.SnapshotStore.SnapshotFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * During a replay of the whole history, compares each snapshot on disk with the replayed state at
 * the sequence it covers. A difference means the engine is not deterministic or a snapshot lies;
 * either way recovery from that snapshot would give a state the journal does not describe. One
 * difference is reported as a warning instead: a snapshot cut after commands that are not
 * journaled moved the engine clock (the engine does that today), recognised by replaying the clock
 * forward to the snapshot's time and finding the same state.
 * Snapshots that cannot be read are reported as warnings: recovery passes over them.
 *
 * <p>Single-threaded: the replay thread. Loads one snapshot at a time.
 */
public final class SnapshotCrossCheck
{
    private final SnapshotStore store;
    private final Deque<SnapshotFile> pending = new ArrayDeque<>();
    private final List<String> warnings = new ArrayList<>();
    /** Where {@link EngineSnapshot#write} puts the applied count: after magic, version and clock. */
    private static final int APPLIED_COUNT_OFFSET = 16;

    private int matched;
    private int clockAhead;

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
            if (EngineSnapshot.stateHash(snapshot) == EngineSnapshot.stateHash(engine))
            {
                matched++;
            }
            else if (snapshot.now() > engine.now() && sameOnceTheClockCatchesUp(engine, snapshot))
            {
                warnings.add("snapshot " + file.path().getFileName() + " was cut at engine time " + snapshot.now() + ", later than the " +
                    "journal's time " + engine.now() + " at sequence " + sequence + ": a command that is not journaled (SNAPSHOT or " +
                    "QUERY_ORDER) moved the engine clock and expired orders. It equals the journal's state once the clock catches up, " +
                    "but replay is exact only while no later command carries an earlier timestamp (engine issue: non-journaled " +
                    "commands must not move the clock)");
                clockAhead++;
            }
            else
            {
                return "snapshot " + file.path().getFileName() + " differs from the state replayed from the journal at sequence " + sequence;
            }
        }
        return null;
    }

    /**
     * Whether the snapshot is the replayed state with the clock moved to the snapshot's time (and
     * the orders due by then expired), the applied count aside.
     */
    private static boolean sameOnceTheClockCatchesUp(final SaleEngine replayed, final SaleEngine snapshot)
    {
        try
        {
            final ByteArrayDataOutput state = new ByteArrayDataOutput(1 << 16);
            EngineSnapshot.write(replayed, state);
            final SaleEngine advanced = EngineSnapshot.read(new ByteArrayDataInput(state.array(), 0, state.length()), new SaleViews());
            final CommandEvent tick = new CommandEvent();
            tick.type = CommandType.TICK;
            tick.timestamp = snapshot.now();
            advanced.apply(tick);
            return Arrays.equals(canonicalWithoutCount(advanced), canonicalWithoutCount(snapshot));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static byte[] canonicalWithoutCount(final SaleEngine engine) throws IOException
    {
        final ByteArrayDataOutput out = new ByteArrayDataOutput(1 << 16);
        EngineSnapshot.write(engine, out);
        final byte[] bytes = Arrays.copyOf(out.array(), out.length());
        Arrays.fill(bytes, APPLIED_COUNT_OFFSET, APPLIED_COUNT_OFFSET + 8, (byte)0);
        return bytes;
    }

    /** Snapshots whose clock ran ahead of the journal (see {@link #check}). */
    public int clockAhead()
    {
        return clockAhead;
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
