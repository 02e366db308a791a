package io.flashsale.journal.replication;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.journal.codec.CommandCodec;
import io.flashsale.journal.link.LinkAuth;
import io.flashsale.journal.link.LinkDriver;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.link.LinkEnds;
import io.flashsale.journal.queue.JournalReader;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The primary's end of replication: binds the replication address, admits a standby that proves
 * the secret, streams it the journal from where it stands (catch-up), hands off to the ring's
 * {@link Replicator} for live records, notes its acknowledgements and declares it lost when it
 * goes silent. One standby at a time; a newly admitted one replaces the old.
 *
 * <pre>
 *   standby ──JOIN/ACK──> [ subscription HOST:PORT, stream 2001 ] ──> agent
 *   agent ──CHALLENGE/WELCOME/catch-up RECORDS/HEARTBEAT──> publication to the standby's endpoint (stream 2002)
 *   ring thread (Replicator) ──live RECORDS──> the same publication, after the hand-off
 * </pre>
 *
 * <p>Threads: one agent thread (this duty cycle, backing off when idle) owns the Aeron client,
 * the subscription, the catch-up reader and every publication's lifetime; the embedded media
 * driver has its own. The accessors may be read by any thread.
 */
public final class ReplicationPrimary implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(ReplicationPrimary.class.getName());
    private static final int FRAGMENT_LIMIT = 64;
    private static final int CATCH_UP_RECORDS_PER_CYCLE = 8_192;
    private static final long PENDING_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_PENDING = 4;

    private final ReplicationConfig config;
    private final Replicator replicator;
    private final Supplier<JournalReader> readers;
    private final EpochHistory epochs;
    private final LinkDriver driver;
    private final Aeron aeron;
    private final PrimaryAgent agent;
    private final AgentRunner runner;
    private final LinkEndpoint endpoint;
    private final long primaryId;
    private volatile long joinsRejected;
    private volatile String lastRefusal;
    /** Set once by {@link #stepDown}; the agent tells the standby. */
    private volatile String stepDownReason;
    /** The standby (the session told) saw the STEP_DOWN. */
    private volatile boolean stepDownSeen;

    private ReplicationPrimary(final ReplicationConfig config, final Replicator replicator, final Supplier<JournalReader> readers,
        final EpochHistory epochs)
    {
        if (config.primary == null || config.secret == null)
        {
            throw new IllegalArgumentException("a replicating primary needs an address and a secret");
        }
        this.config = config;
        this.replicator = replicator;
        this.readers = readers;
        this.epochs = epochs;
        final LinkAuth auth = new LinkAuth(config.secret);
        this.primaryId = auth.nonce();
        this.driver = LinkDriver.launch(config.driverParent, "primary", Throwable::printStackTrace);
        Aeron client = null;
        try
        {
            client = LinkEnds.connect(driver, Throwable::printStackTrace);
            this.aeron = client;
            this.agent = new PrimaryAgent(auth);
            this.endpoint = agent.bind();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(client);
            driver.close();
            throw ex;
        }
        this.runner = new AgentRunner(LinkEnds.idleOrBackoff(null), Throwable::printStackTrace, null, agent);
    }

    /**
     * Binds the configured address and starts the agent.
     *
     * @param replicator the ring's side, given to the pipeline as its replication port
     * @param readers    opens readers of this primary's journal (the agent's catch-up)
     * @param epochs     this primary's epoch history: a standby that has seen a newer epoch is refused
     */
    public static ReplicationPrimary launch(final ReplicationConfig config, final Replicator replicator, final Supplier<JournalReader> readers,
        final EpochHistory epochs)
    {
        final ReplicationPrimary primary = new ReplicationPrimary(config, replicator, readers, epochs);
        AgentRunner.startOnThread(primary.runner);
        LOG.log(System.Logger.Level.INFO, "replication: primary listening on " + primary.endpoint + " (" +
            config.mode.name().toLowerCase() + ", on standby lost: " + config.onStandbyLost.name().toLowerCase().replace('_', '-') + ")");
        return primary;
    }

    /** The bound address (port resolved when 0). */
    public LinkEndpoint endpoint()
    {
        return endpoint;
    }

    public Replicator replicator()
    {
        return replicator;
    }

    /** JOINs refused (bad proof, stale, or a standby that cannot join here). */
    public long joinsRejected()
    {
        return joinsRejected;
    }

    /** Why the last standby that proved the secret was turned away, or null. */
    public String lastRefusal()
    {
        return lastRefusal;
    }

    /**
     * This primary can keep no promise any more (its ring failed): tells the standby, so that one in
     * sync takes over at once instead of waiting out the silence. Only hands over; the agent sends
     * it with every heartbeat until the standby says it saw it. Any thread, at most once counts.
     */
    public void stepDown(final String reason)
    {
        if (stepDownReason == null)
        {
            stepDownReason = reason;
        }
    }

    /** Why this primary stepped down, or null while it leads. */
    public String stepDownReason()
    {
        return stepDownReason;
    }

    /**
     * Whether the process may end now without the standby missing the step-down: it saw it, or there
     * is no standby to tell, or none was asked for. Any thread.
     */
    public boolean stepDownSettled()
    {
        final StandbySession s = replicator.session;
        return stepDownReason == null || stepDownSeen || s == null || s.state() == StandbySession.CLOSED;
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(runner);
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(driver);
    }

    /** A JOIN that proved the secret and was challenged, waiting for the echo. Agent thread. */
    private static final class Pending
    {
        final long nonce;
        final long challenge;
        final String endpoint;
        final Publication publication;
        /** When it is forgotten (and its publication closed). */
        long expiresNanos;
        boolean challengeSent;

        Pending(final long nonce, final long challenge, final String endpoint, final Publication publication, final long expiresNanos)
        {
            this.nonce = nonce;
            this.challenge = challenge;
            this.endpoint = endpoint;
            this.publication = publication;
            this.expiresNanos = expiresNanos;
        }
    }

    private final class PrimaryAgent implements Agent
    {
        private final LinkAuth auth;
        private final AgentInvoker invoker;
        private final FragmentAssembler assembler = new FragmentAssembler(this::onMessage);
        private final UnsafeBuffer out = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Replicator.BATCH_CAPACITY, 64));
        private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
        private final CommandEvent scratch = new CommandEvent();
        /** Handshake and heartbeat messages. */
        private final UnsafeBuffer small = new UnsafeBuffer(new byte[512]);
        private Subscription subscription;
        private JournalReader reader;
        private int readerGeneration = -1;
        private long nextToSend;
        private int outLength = ReplicationWire.RECORDS_HEADER;
        private int outCount;
        private long lastQueued;
        private long nextHeartbeatNanos;
        private long nextStepDownNanos;

        PrimaryAgent(final LinkAuth auth)
        {
            this.auth = auth;
            this.invoker = aeron.conductorAgentInvoker();
        }

        LinkEndpoint bind()
        {
            subscription = aeron.addSubscription(config.primary.subscriptionChannel(), ReplicationWire.TO_PRIMARY_STREAM);
            return LinkEndpoint.bound(subscription, invoker, config.primary);
        }

        @Override
        public String roleName()
        {
            return "flashsale-replication-primary";
        }

        @Override
        public int doWork()
        {
            int work = invoker.invoke();
            work += subscription.poll(assembler, FRAGMENT_LIMIT);
            final long now = System.nanoTime();
            work += challenges(now);
            final StandbySession s = replicator.session;
            if (s != null)
            {
                if (now - s.lastHeardNanos > TimeUnit.MILLISECONDS.toNanos(config.peerTimeoutMillis))
                {
                    lose(s, "silent for " + config.peerTimeoutMillis + " ms");
                    return work + 1;
                }
                work += catchUp(s);
                if (now - nextHeartbeatNanos >= 0)
                {
                    nextHeartbeatNanos = now + TimeUnit.MILLISECONDS.toNanos(config.heartbeatMillis);
                    // The state first: when it is LIVE, whatever was acknowledged without this standby is at or before the sequence read after.
                    final boolean live = s.state() == StandbySession.LIVE;
                    s.publication.offer(small, 0, ReplicationWire.heartbeat(small, primaryId, replicator.lastSequence(), System.currentTimeMillis(), live));
                }
                final String stepDown = stepDownReason;
                if (stepDown != null && !stepDownSeen && now - nextStepDownNanos >= 0)
                {
                    // Again every heartbeat until the standby says it saw it.
                    nextStepDownNanos = now + TimeUnit.MILLISECONDS.toNanos(config.heartbeatMillis);
                    s.publication.offer(small, 0, ReplicationWire.stepDown(small, primaryId, replicator.lastSequence(), stepDown));
                    work++;
                }
            }
            return work;
        }

        /** Sends a CHALLENGE once the publication to a JOIN's endpoint is connected; forgets stale ones. */
        private int challenges(final long now)
        {
            int work = 0;
            final Long2ObjectHashMap<Pending>.ValueIterator values = pending.values().iterator();
            while (values.hasNext())
            {
                final Pending p = values.next();
                if (now - p.expiresNanos > 0)
                {
                    values.remove();
                    CloseHelper.quietClose(p.publication);
                    work++;
                }
                else if (!p.challengeSent && p.publication.isConnected())
                {
                    if (p.publication.offer(small, 0, ReplicationWire.challenge(small, p.nonce, p.challenge)) > 0)
                    {
                        p.challengeSent = true;
                        work++;
                    }
                }
            }
            return work;
        }

        private void onMessage(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            if (length < ReplicationWire.BODY)
            {
                return;
            }
            switch (ReplicationWire.type(buffer, offset))
            {
                case ReplicationWire.JOIN -> onJoin(buffer, offset, length, header.sessionId());
                case ReplicationWire.ACK -> onAck(buffer, offset, length, header.sessionId());
                case ReplicationWire.STEP_DOWN -> onStepDownSeen(buffer, offset, length, header.sessionId());
                default ->
                {
                }
            }
        }

        private void onAck(final DirectBuffer buffer, final int offset, final int length, final int imageSession)
        {
            final StandbySession s = replicator.session;
            if (s == null || length < ReplicationWire.ACK_LENGTH || s.imageSessionId != imageSession ||
                ReplicationWire.longAt(buffer, offset, 0) != s.nonce)
            {
                return;
            }
            final long sequence = ReplicationWire.longAt(buffer, offset, 8);
            s.lastHeardNanos = System.nanoTime();
            if (sequence > s.acked)
            {
                s.ackedTimestamp = ReplicationWire.longAt(buffer, offset, 16);
                s.acked = sequence;
            }
        }

        private void onStepDownSeen(final DirectBuffer buffer, final int offset, final int length, final int imageSession)
        {
            final StandbySession s = replicator.session;
            if (s != null && length >= ReplicationWire.STEP_DOWN_SEEN_LENGTH && s.imageSessionId == imageSession &&
                ReplicationWire.longAt(buffer, offset, 0) == s.nonce && stepDownReason != null && !stepDownSeen)
            {
                stepDownSeen = true;
                LOG.log(System.Logger.Level.WARNING, "replication: STEPPED DOWN: standby " + s.endpoint + " knows this primary failed (" +
                    stepDownReason + ")");
            }
        }

        private void onJoin(final DirectBuffer buffer, final int offset, final int length, final int imageSession)
        {
            if (length < ReplicationWire.JOIN_LENGTH)
            {
                joinsRejected++;
                return;
            }
            final long nonce = ReplicationWire.longAt(buffer, offset, 0);
            final long challenge = ReplicationWire.longAt(buffer, offset, 8);
            final long timestamp = ReplicationWire.longAt(buffer, offset, 16);
            final long lastSequence = ReplicationWire.longAt(buffer, offset, 24);
            final long epoch = ReplicationWire.longAt(buffer, offset, 32);
            final long lastChecksum = ReplicationWire.longAt(buffer, offset, 40);
            final byte[] mac = ReplicationWire.bytesAt(buffer, offset + ReplicationWire.JOIN_MAC, ReplicationWire.MAC_LENGTH);
            final int endpointLength = buffer.getByte(offset + ReplicationWire.JOIN_MAC + ReplicationWire.MAC_LENGTH) & 0xff;
            if (length < ReplicationWire.JOIN_LENGTH + endpointLength)
            {
                joinsRejected++;
                return;
            }
            final byte[] endpointAscii = ReplicationWire.bytesAt(buffer, offset + ReplicationWire.JOIN_LENGTH, endpointLength);
            if (!LinkAuth.matches(ReplicationWire.joinMac(auth, nonce, challenge, timestamp, lastSequence, epoch, lastChecksum, endpointAscii), mac) ||
                Math.abs(System.currentTimeMillis() - timestamp) > config.joinMaxSkewMillis)
            {
                joinsRejected++;
                return;
            }
            final LinkEndpoint announced;
            try
            {
                announced = LinkEndpoint.parse(new String(endpointAscii, java.nio.charset.StandardCharsets.US_ASCII));
            }
            catch (final IllegalArgumentException ex)
            {
                joinsRejected++;
                return;
            }
            final Pending known = pending.get(nonce);
            if (challenge == 0)
            {
                if (known == null && pending.size() < MAX_PENDING)
                {
                    final Publication publication = aeron.addPublication(
                        announced.publicationChannel(config.termLength, config.mtu), ReplicationWire.TO_STANDBY_STREAM);
                    pending.put(nonce, new Pending(nonce, auth.nonce(), announced.toString(), publication, System.nanoTime() + PENDING_TTL_NANOS));
                }
                return;
            }
            if (known == null || known.challenge != challenge || !known.endpoint.equals(announced.toString()))
            {
                joinsRejected++;
                return;
            }
            admit(known, lastSequence, lastChecksum, epoch, imageSession);
        }

        /** The standby proved the secret twice over: decide where it starts, or why it cannot. */
        private void admit(final Pending p, final long standbyLast, final long standbyChecksum, final long standbyEpoch, final int imageSession)
        {
            final long primaryLast = replicator.lastSequence();
            final long epoch = epochs.current();
            String refusal = null;
            if (standbyEpoch > epoch)
            {
                refusal = "the standby has seen epoch " + standbyEpoch + ", newer than this primary's " + epoch +
                    ": this primary was superseded by a promotion and must not lead; restart it as a standby of the new primary";
            }
            else if (standbyEpoch < epoch && standbyLast >= epochs.firstSequenceAfter(standbyEpoch))
            {
                final long keepThrough = epochs.firstSequenceAfter(standbyEpoch) - 1;
                lastRefusal = "the standby's journal holds records past sequence " + keepThrough + " from its epoch " + standbyEpoch +
                    ", which epoch " + epoch + " superseded there; it sets them aside and rejoins";
                LOG.log(System.Logger.Level.WARNING, "replication: standby " + p.endpoint + ": " + lastRefusal);
                p.publication.offer(small, 0, ReplicationWire.diverged(small, p.nonce, keepThrough));
                p.expiresNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                return;
            }
            else if (standbyLast > primaryLast)
            {
                refusal = "the standby's journal ends at sequence " + standbyLast + ", past this primary's " + primaryLast +
                    ": its tail was never acknowledged here; set it aside before it joins";
            }
            else
            {
                final JournalReader probe = readers.get();
                try
                {
                    final JournalReader.Position position = probe.positionAfter(standbyLast);
                    if (position == JournalReader.Position.JOURNAL_STARTS_AFTER)
                    {
                        refusal = "this primary's journal no longer starts at sequence " + (standbyLast + 1) + " (a snapshot transfer is not implemented)";
                    }
                    else if (position != JournalReader.Position.FOUND)
                    {
                        refusal = "this primary cannot read its journal at sequence " + standbyLast + ": " + position + " " + probe.problem();
                    }
                    else if (standbyLast > 0 && probe.checksum() != (int)standbyChecksum)
                    {
                        // Same sequence and epoch, other bytes: appending after it would join two histories.
                        refusal = "the standby's record " + standbyLast + " differs from this primary's (checksum " +
                            Integer.toHexString((int)standbyChecksum) + ", here " + Integer.toHexString(probe.checksum()) +
                            "): its journal is not this primary's history; set it aside and start the standby empty";
                    }
                }
                finally
                {
                    probe.close();
                }
            }
            if (refusal != null)
            {
                joinsRejected++;
                lastRefusal = refusal;
                LOG.log(System.Logger.Level.WARNING, "replication: standby " + p.endpoint + " refused: " + refusal);
                p.publication.offer(small, 0, ReplicationWire.refused(small, p.nonce, refusal));
                // Kept a second longer, so the refusal leaves before the publication closes.
                p.expiresNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                return;
            }
            pending.remove(p.nonce);
            final StandbySession previous = replicator.session;
            if (previous != null)
            {
                lose(previous, "replaced by a standby that joined from " + p.endpoint);
            }
            final long start = standbyLast + 1;
            final StandbySession s = new StandbySession(p.nonce, imageSession, p.endpoint, p.publication, start, System.nanoTime());
            final int length = ReplicationWire.welcome(small, p.nonce, primaryId, start, epoch,
                ReplicationWire.welcomeMac(auth, p.nonce, p.challenge, primaryId, start, epoch));
            if (p.publication.offer(small, 0, length) < 0)
            {
                CloseHelper.quietClose(p.publication);
                return;
            }
            readerGeneration = -1;
            outLength = ReplicationWire.RECORDS_HEADER;
            outCount = 0;
            replicator.session = s;
            LOG.log(System.Logger.Level.INFO, "replication: standby " + p.endpoint + " joined at sequence " + standbyLast +
                " (this primary is at " + primaryLast + "); catching up");
        }

        /** Streams journal records to a standby that is catching up, then hands off to the ring. */
        private int catchUp(final StandbySession s)
        {
            if (s.state() == StandbySession.HANDOFF)
            {
                replicator.handOffIfQuiet(s);
                return 0;
            }
            if (s.state() != StandbySession.CATCHING_UP)
            {
                return 0;
            }
            if (readerGeneration != s.catchUpGeneration)
            {
                readerGeneration = s.catchUpGeneration;
                if (reader == null)
                {
                    reader = readers.get();
                }
                final long from = s.catchUpFrom;
                if (reader.positionAfter(from - 1) != JournalReader.Position.FOUND)
                {
                    lose(s, "the journal has no record " + (from - 1) + " to catch up from: " + reader.problem());
                    return 1;
                }
                nextToSend = from;
                lastQueued = from - 1;
                outLength = ReplicationWire.RECORDS_HEADER;
                outCount = 0;
            }
            if (outCount > 0 && !offerOut(s))
            {
                return 0;
            }
            int work = 0;
            while (work < CATCH_UP_RECORDS_PER_CYCLE)
            {
                if (outLength + ReplicationWire.RECORD_PREFIX + CommandCodec.MAX_RECORD_LENGTH > Replicator.BATCH_CAPACITY && !offerOut(s))
                {
                    return work;
                }
                final JournalReader.Status status = reader.next(scratch);
                if (status == JournalReader.Status.END)
                {
                    break;
                }
                if (status == JournalReader.Status.CORRUPT)
                {
                    lose(s, "the journal is unreadable at sequence " + nextToSend + ": " + reader.problem());
                    return work + 1;
                }
                queue(reader.recordArray(), reader.recordLength());
                work++;
            }
            if (outCount > 0 && !offerOut(s))
            {
                return work;
            }
            if (work == 0)
            {
                // The journal's end, all of it sent: the ring sends what comes next.
                s.handoffAt = lastQueued;
                s.state.compareAndSet(StandbySession.CATCHING_UP, StandbySession.HANDOFF);
            }
            return work;
        }

        private void queue(final byte[] record, final int length)
        {
            if (outCount == 0)
            {
                outLength = ReplicationWire.RECORDS_HEADER;
            }
            out.putShort(outLength, (short)length, ReplicationWire.ORDER);
            out.putBytes(outLength + ReplicationWire.RECORD_PREFIX, record, 0, length);
            outLength += ReplicationWire.RECORD_PREFIX + length;
            outCount++;
            lastQueued = nextToSend++;
        }

        private boolean offerOut(final StandbySession s)
        {
            out.putInt(0, ReplicationWire.RECORDS, ReplicationWire.ORDER);
            out.putInt(ReplicationWire.BODY, outCount, ReplicationWire.ORDER);
            if (s.publication.offer(out, 0, outLength) > 0)
            {
                outCount = 0;
                outLength = ReplicationWire.RECORDS_HEADER;
                return true;
            }
            return false;
        }

        /** The standby is gone (or replaced): a sync primary set to stall stops acknowledging. */
        private void lose(final StandbySession s, final String why)
        {
            final boolean wasInSync = s.state() == StandbySession.LIVE;
            if (config.mode == ReplicationMode.SYNC && config.onStandbyLost == StandbyLost.STALL && (wasInSync || replicator.stalled))
            {
                replicator.stalled = true;
            }
            s.state.set(StandbySession.CLOSED);
            if (replicator.session == s)
            {
                replicator.session = null;
            }
            // The ring thread may be offering to it right now: closing is safe, its offer answers CLOSED.
            CloseHelper.quietClose(s.publication);
            final String consequence = !wasInSync ? "" : replicator.stalled ?
                "; STALLED: nothing more is acknowledged until a standby is in sync again (replication.onStandbyLost=stall)" :
                config.mode == ReplicationMode.SYNC ? "; continuing alone: acknowledged orders now live on this machine only" : "";
            LOG.log(wasInSync ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                "replication: standby " + s.endpoint + " lost (" + why + ")" + consequence);
        }

        @Override
        public void onClose()
        {
            if (reader != null)
            {
                reader.close();
            }
        }
    }
}
