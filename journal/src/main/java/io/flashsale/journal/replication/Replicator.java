package io.flashsale.journal.replication;

import io.aeron.Publication;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.pipeline.ReplicationPort;
import io.flashsale.journal.codec.CommandCodec;
import io.flashsale.journal.queue.JournalReader;
import org.agrona.BufferUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The ring's side of replication on a primary: encodes each journaled command exactly as the
 * journal did (same sequence, ring sequence, timestamp, bytes), gathers a ring batch into one
 * RECORDS message and sends it when the batch ends, and gates the batch's replies on the
 * standby's acknowledgement in {@link ReplicationMode#SYNC}. A standby that is still catching up
 * is neither sent to nor waited for; at the hand-off this thread sends what the journal took
 * since the agent's last catch-up record, then goes live.
 *
 * <p>{@link #send}, {@link #endOfBatch} and {@link #sent} run on the replication stage's thread
 * only; {@link #awaitAcknowledged} on the reply thread (the ring's ack gate), while the replication
 * stage goes on sending; the accessors for lag and state may be read by any thread.
 */
public final class Replicator implements ReplicationPort
{
    private static final System.Logger LOG = System.getLogger(Replicator.class.getName());
    static final int BATCH_CAPACITY = 64 * 1024;

    private final ReplicationMode mode;
    private final Supplier<JournalReader> readers;
    private final CommandCodec codec = new CommandCodec();
    private final UnsafeBuffer batch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BATCH_CAPACITY, 64));
    /** The replication stage's, while the publication is back-pressured. */
    private final IdleStrategy offering = new BackoffIdleStrategy(
        20, 50, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
    /** The reply thread's, while it waits for an acknowledgement. */
    private final IdleStrategy awaiting = new BackoffIdleStrategy(
        20, 50, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
    private JournalReader reader;
    private int batchLength = ReplicationWire.RECORDS_HEADER;
    private int batchCount;
    private long batchFirst;
    private long sequence;

    /** Written by the agent. */
    volatile StandbySession session;
    /** A sync primary lost the standby it was in sync with (and is set to stall): nothing is acknowledged. */
    volatile boolean stalled;
    private volatile long lastSequence;
    private volatile long lastTimestamp;

    /**
     * @param lastSequence the journal's last sequence when the ring starts
     * @param readers      opens a reader of the primary's journal, for the hand-off
     */
    public Replicator(final ReplicationMode mode, final long lastSequence, final Supplier<JournalReader> readers)
    {
        this.mode = mode;
        this.sequence = lastSequence;
        this.lastSequence = lastSequence;
        this.readers = readers;
    }

    @Override
    public void send(final CommandEvent command)
    {
        final long seq = ++sequence;
        lastSequence = seq;
        lastTimestamp = command.timestamp;
        final StandbySession s = session;
        if (s == null)
        {
            return;
        }
        final int state = s.state();
        if (state == StandbySession.HANDOFF)
        {
            // The journal already holds this command: the hand-off sends it with the rest.
            handOff(s, seq);
        }
        else if (state == StandbySession.LIVE)
        {
            final int length = codec.encode(command, seq, command.ringSequence);
            add(s, codec.array(), length, seq);
        }
    }

    @Override
    public void endOfBatch()
    {
        final StandbySession s = session;
        if (s == null)
        {
            return;
        }
        if (s.state() == StandbySession.HANDOFF)
        {
            handOff(s, sequence);
        }
        flush(s);
    }

    @Override
    public long sent()
    {
        return sequence;
    }

    @Override
    public boolean awaitAcknowledged(final long upTo)
    {
        if (mode == ReplicationMode.ASYNC)
        {
            return true;
        }
        final StandbySession s = session;
        if (s == null || s.state() != StandbySession.LIVE)
        {
            return !stalled;
        }
        awaiting.reset();
        while (s.acked < upTo)
        {
            if (s.state() != StandbySession.LIVE)
            {
                return !stalled;
            }
            awaiting.idle();
        }
        return true;
    }

    /** Sends what the journal holds after the agent's last record, up to {@code upTo}, and goes live. */
    private void handOff(final StandbySession s, final long upTo)
    {
        final long from = s.handoffAt;
        if (from < upTo)
        {
            if (reader == null)
            {
                reader = readers.get();
            }
            if (reader.positionAfter(from) != JournalReader.Position.FOUND)
            {
                throw new IllegalStateException("replication hand-off: the journal has no record " + from + ": " + reader.problem());
            }
            final CommandEvent scratch = new CommandEvent();
            for (long seq = from + 1; seq <= upTo; seq++)
            {
                if (reader.next(scratch) != JournalReader.Status.RECORD)
                {
                    throw new IllegalStateException("replication hand-off: record " + seq + " is not in the journal: " + reader.problem());
                }
                add(s, reader.recordArray(), reader.recordLength(), seq);
            }
        }
        goLive(s, upTo);
    }

    /**
     * The agent's way to finish a hand-off while the ring is quiet: when the ring has handed on
     * nothing past the agent's last record, there is nothing to send. Safe against a command
     * arriving at the same moment: the ring counts it before it reads the state, so either it sees
     * HANDOFF and sends the gap itself, or this check sees its count and waits. Agent thread.
     */
    void handOffIfQuiet(final StandbySession s)
    {
        if (s.state() == StandbySession.HANDOFF && lastSequence == s.handoffAt)
        {
            goLive(s, s.handoffAt);
        }
    }

    private void goLive(final StandbySession s, final long at)
    {
        // Before the state: whoever sees LIVE sees where it began.
        s.liveAt = at;
        if (s.state.compareAndSet(StandbySession.HANDOFF, StandbySession.LIVE))
        {
            stalled = false;
            LOG.log(System.Logger.Level.INFO, "replication: standby " + s.endpoint + " is in sync at sequence " + at +
                (mode == ReplicationMode.SYNC ? "; replies now wait for its acknowledgement" : ""));
        }
    }

    private void add(final StandbySession s, final byte[] record, final int length, final long seq)
    {
        if (batchLength + ReplicationWire.RECORD_PREFIX + length > BATCH_CAPACITY)
        {
            flush(s);
        }
        if (batchCount == 0)
        {
            batchFirst = seq;
        }
        batch.putShort(batchLength, (short)length, ReplicationWire.ORDER);
        batch.putBytes(batchLength + ReplicationWire.RECORD_PREFIX, record, 0, length);
        batchLength += ReplicationWire.RECORD_PREFIX + length;
        batchCount++;
    }

    /**
     * Offers the batch. Sync: retries while the standby is live (the agent's timeout ends a wait
     * for a standby that is gone). Async: a standby that cannot take the batch now falls back to
     * catching up from the journal, so the ring never waits for it.
     */
    private void flush(final StandbySession s)
    {
        if (batchCount == 0)
        {
            return;
        }
        batch.putInt(0, ReplicationWire.RECORDS, ReplicationWire.ORDER);
        batch.putInt(ReplicationWire.BODY, batchCount, ReplicationWire.ORDER);
        offering.reset();
        int attempts = 0;
        while (true)
        {
            final long result = s.publication.offer(batch, 0, batchLength);
            if (result > 0)
            {
                break;
            }
            if (s.state() != StandbySession.LIVE || result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                break;
            }
            if (mode == ReplicationMode.ASYNC && ++attempts > 100)
            {
                s.catchUpFrom = batchFirst;
                s.catchUpGeneration++;
                s.state.compareAndSet(StandbySession.LIVE, StandbySession.CATCHING_UP);
                LOG.log(System.Logger.Level.WARNING, "standby " + s.endpoint + " cannot keep up (" + result +
                    "); it catches up from the journal at sequence " + batchFirst);
                break;
            }
            offering.idle();
        }
        batchLength = ReplicationWire.RECORDS_HEADER;
        batchCount = 0;
    }

    // ---- any thread

    /** The journal sequence of the last command the ring handed on. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * True when a standby is live (in sync mode, replies wait for it) and has acknowledged the
     * whole catch-up it was sent: its journal holds this one's history through the hand-off. Live
     * but not yet acknowledged, it would lose that history if this node were lost now.
     */
    public boolean inSync()
    {
        final StandbySession s = session;
        return s != null && s.state() == StandbySession.LIVE && s.acked >= s.liveAt;
    }

    public boolean stalled()
    {
        return stalled;
    }

    /** "none", "catching-up", "handing-off" (until the catch-up is acknowledged), "in-sync". */
    public String standbyState()
    {
        final StandbySession s = session;
        if (s == null)
        {
            return "none";
        }
        final int state = s.state();
        return state == StandbySession.LIVE && !inSync() ? StandbySession.name(StandbySession.HANDOFF) : StandbySession.name(state);
    }

    /** The highest sequence the standby acknowledged, -1 with no standby. */
    public long acknowledgedSequence()
    {
        final StandbySession s = session;
        return s == null ? -1 : s.acked;
    }

    /** Commands journaled here and not yet acknowledged by the standby; -1 with no standby. */
    public long lagCommands()
    {
        final StandbySession s = session;
        return s == null ? -1 : Math.max(0, lastSequence - s.acked);
    }

    /** Timestamp of the last command journaled here minus that of the last acknowledged; -1 with no standby. */
    public long lagMillis()
    {
        final StandbySession s = session;
        if (s == null)
        {
            return -1;
        }
        if (s.acked >= lastSequence)
        {
            return 0;
        }
        return s.ackedTimestamp == 0 ? -1 : Math.max(0, lastTimestamp - s.ackedTimestamp);
    }

    public ReplicationMode mode()
    {
        return mode;
    }

    /** Ring thread, after the ring stopped. */
    void closeReader()
    {
        if (reader != null)
        {
            reader.close();
            reader = null;
        }
    }
}
