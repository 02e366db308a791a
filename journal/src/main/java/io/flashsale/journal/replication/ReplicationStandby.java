package io.flashsale.journal.replication;

import io.aeron.Aeron;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.journal.codec.CommandCodec;
import io.flashsale.journal.link.LinkAuth;
import io.flashsale.journal.link.LinkDriver;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.link.LinkEnds;
import io.flashsale.journal.queue.JournalReader;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A hot standby's end of replication: joins the primary (proving the secret), publishes every
 * record it receives into its own ring, where its own journal stage writes the same record (same
 * sequence, same bytes) and its own engine applies it, and acknowledges, from its reply thread,
 * the highest sequence journaled. Rejoins, from where it stands, when the primary goes silent.
 *
 * <p>Failover: the primary's heartbeats say when this standby is in sync (the primary's replies
 * wait for it); once it has received every record up to the first such heartbeat, nothing was
 * acknowledged without it. With {@link ReplicationConfig#failoverAfterMillis} set, a standby in
 * sync whose primary has been silent that long, or that stepped down (its ring failed), asks to be
 * promoted ({@code onFailover}); one that never reached sync does not, and says why.
 *
 * <pre>
 *   primary ──RECORDS──> [ subscription on this standby's endpoint, stream 2002 ] ──> agent ──replicate──> ring
 *   ring: journal ─> engine ─> reply thread (AckListener) ──ACK──> publication to the primary (stream 2001)
 * </pre>
 *
 * <p>Threads: one agent thread (join, receive, heartbeats) owns the Aeron client; the ring's reply
 * thread sends acknowledgements as each batch is answered. The accessors: any thread.
 */
public final class ReplicationStandby implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(ReplicationStandby.class.getName());
    private static final long JOIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int FRAGMENT_LIMIT = 16;

    private final ReplicationConfig config;
    private final CommandPipeline pipeline;
    private final LinkDriver driver;
    private final Aeron aeron;
    private final StandbyAgent agent;
    private final AgentRunner runner;
    private final LinkEndpoint endpoint;
    private final AckListener acks;
    private final EpochHistory epochs;
    private final LongConsumer onDiverged;
    private final Consumer<String> onFailover;

    private volatile boolean joined;
    private volatile long primaryLastSequence = -1;
    private volatile String refusal;
    private volatile long received;
    private volatile long lastPublished;
    /** The primary's last sequence in its first heartbeat that said this standby is live; -1 before one (this session). */
    private volatile long liveFrom = -1;
    /** Why the primary stepped down, or null. */
    private volatile String primaryStepDown;
    private volatile boolean failoverAsked;
    private volatile String failoverDeclined;

    private ReplicationStandby(final ReplicationConfig config, final CommandPipeline pipeline, final long lastSequence, final int lastChecksum,
        final EpochHistory epochs, final LongConsumer onDiverged, final Consumer<String> onFailover)
    {
        if (config.primary == null || config.secret == null)
        {
            throw new IllegalArgumentException("a standby needs the primary's address and the secret");
        }
        this.config = config;
        this.pipeline = pipeline;
        this.epochs = epochs;
        this.onDiverged = onDiverged;
        this.onFailover = onFailover;
        this.acks = new AckListener(lastSequence);
        this.driver = LinkDriver.launch(config.driverParent, "standby", Throwable::printStackTrace);
        Aeron client = null;
        try
        {
            client = LinkEnds.connect(driver, Throwable::printStackTrace);
            this.aeron = client;
            this.agent = new StandbyAgent(new LinkAuth(config.secret), lastSequence, lastChecksum);
            this.endpoint = agent.bind(config.standby != null ? config.standby : new LinkEndpoint(localAddressTowards(config.primary), 0));
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
     * Starts following the primary.
     *
     * @param pipeline     this standby's ring, started without a ticker (the primary's ticks arrive as records)
     * @param lastSequence the last sequence in this standby's journal (recovered at start)
     * @param readers      opens a reader of this standby's journal: its last record's checksum goes in the JOIN, so
     *                     that a primary whose record there differs refuses to extend another history
     * @param epochs       this standby's epoch history: it follows no primary of an older epoch, and takes on a newer one's
     * @param onDiverged   told (on the agent thread) the sequence to keep through when the primary says this journal's
     *                     tail belongs to a superseded epoch; the standby stops joining, the tail must be set aside
     *                     ({@link TailQuarantine}) before it can follow
     */
    public static ReplicationStandby launch(final ReplicationConfig config, final CommandPipeline pipeline, final long lastSequence,
        final Supplier<JournalReader> readers, final EpochHistory epochs, final LongConsumer onDiverged)
    {
        return launch(config, pipeline, lastSequence, readers, epochs, onDiverged, why -> { });
    }

    /**
     * As above, with automatic promotion when {@link ReplicationConfig#failoverAfterMillis} is set.
     *
     * @param onFailover told once, on the agent thread, why this standby (in sync) should be promoted now: the
     *                   primary was silent too long or stepped down. Hand over and return: promoting closes this standby.
     */
    public static ReplicationStandby launch(final ReplicationConfig config, final CommandPipeline pipeline, final long lastSequence,
        final Supplier<JournalReader> readers, final EpochHistory epochs, final LongConsumer onDiverged, final Consumer<String> onFailover)
    {
        final ReplicationStandby standby = new ReplicationStandby(config, pipeline, lastSequence, checksumOf(readers, lastSequence), epochs,
            onDiverged, onFailover);
        AgentRunner.startOnThread(standby.runner);
        LOG.log(System.Logger.Level.INFO, "replication: standby on " + standby.endpoint + " follows the primary at " +
            config.primary + " from sequence " + lastSequence + (config.failoverAfterMillis > 0 ?
            "; promotes itself when in sync and the primary is silent for " + config.failoverAfterMillis + " ms or steps down" : ""));
        return standby;
    }

    /** The checksum of the journal's record {@code sequence}, 0 for none (an empty journal). */
    private static int checksumOf(final Supplier<JournalReader> readers, final long sequence)
    {
        if (sequence == 0)
        {
            return 0;
        }
        try (JournalReader reader = readers.get())
        {
            if (reader.positionAfter(sequence) != JournalReader.Position.FOUND)
            {
                throw new IllegalStateException("this standby cannot read its own journal's last record " + sequence + ": " + reader.problem());
            }
            return reader.checksum();
        }
    }

    /** The local address that routes to {@code primary}: what the primary can send back to. */
    private static String localAddressTowards(final LinkEndpoint primary)
    {
        try (DatagramSocket probe = new DatagramSocket())
        {
            probe.connect(new InetSocketAddress(primary.host(), primary.port()));
            return probe.getLocalAddress().getHostAddress();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot find a local address towards " + primary, ex);
        }
    }

    public LinkEndpoint endpoint()
    {
        return endpoint;
    }

    /** Joined and hearing from the primary. */
    public boolean joined()
    {
        return joined;
    }

    /** The highest sequence journaled here (and acknowledged). */
    public long journaledSequence()
    {
        return acks.acked;
    }

    /** The primary's last sequence as of its last heartbeat, -1 before one. */
    public long primaryLastSequence()
    {
        return primaryLastSequence;
    }

    /** Commands the primary journaled that this standby has not; -1 when unknown. */
    public long lagCommands()
    {
        final long primary = primaryLastSequence;
        return primary < 0 ? -1 : Math.max(0, primary - acks.acked);
    }

    /**
     * In sync: the primary said its replies wait for this standby, and every record up to then has
     * arrived here, so nothing the primary acknowledged is missing (sync mode). Stays true after the
     * primary goes silent, until this standby joins a primary again.
     */
    public boolean inSync()
    {
        final long from = liveFrom;
        return from >= 0 && lastPublished >= from;
    }

    /** Why this standby did not promote itself when its primary went silent or stepped down (not in sync), or null. */
    public String failoverDeclined()
    {
        return failoverDeclined;
    }

    /** Why the primary stepped down (its ring failed), or null while it leads. */
    public String primaryStepDown()
    {
        return primaryStepDown;
    }

    /** Why the primary refused this standby the last time, or null. */
    public String refusal()
    {
        return refusal;
    }

    /** The last sequence handed to the ring; once the link is closed, the ring has drained when {@link #journaledSequence()} reaches it. */
    public long publishedSequence()
    {
        return lastPublished;
    }

    /** The epoch this standby is in (its own history, or the newer one of the primary it joined). */
    public long epoch()
    {
        return epochs.current();
    }

    /** Records received from the primary since start. */
    public long recordsReceived()
    {
        return received;
    }

    /**
     * Stops following at once: the agent stops (no record more goes into the ring) and nothing more
     * is acknowledged; records already in the ring are still journaled. The link itself stays open
     * until {@link #close} (closing a media driver takes a while: a promotion need not wait for it).
     */
    public void stopFollowing()
    {
        CloseHelper.quietClose(runner);
        acks.publication = null;
    }

    /** Stops following, then closes the link. */
    @Override
    public void close()
    {
        stopFollowing();
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(driver);
    }

    /**
     * Counts the replies to replicated commands, in ring order, and acknowledges at each batch end:
     * the reply stage runs after the journal stage (and its sync), so a replied command is
     * journaled here. Reply thread; {@link #acked} is read by any thread.
     */
    private final class AckListener implements ReplyListener
    {
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ReplicationWire.ACK_LENGTH]);
        private volatile long acked;
        private volatile long ackedTimestamp;
        volatile Publication publication;
        volatile long nonce;
        private boolean failed;

        AckListener(final long lastSequence)
        {
            this.acked = lastSequence;
        }

        @Override
        public void onReply(final CommandEvent event)
        {
            if (event.outcome == Outcome.JOURNAL_FAILED || event.outcome == Outcome.ENGINE_ERROR || failed)
            {
                // Not journaled (or not applied) here: never acknowledged, and nothing after it either.
                failed = true;
                return;
            }
            ackedTimestamp = event.timestamp;
            acked = acked + 1;
        }

        @Override
        public void onBatchEnd()
        {
            send();
        }

        void send()
        {
            final Publication p = publication;
            if (p != null && !failed)
            {
                p.offer(buffer, 0, ReplicationWire.ack(buffer, nonce, acked, ackedTimestamp));
            }
        }
    }

    private final class StandbyAgent implements Agent
    {
        private final LinkAuth auth;
        private final AgentInvoker invoker;
        private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this::onMessage);
        private final UnsafeBuffer small = new UnsafeBuffer(new byte[512]);
        private final UnsafeBuffer ackBuffer = new UnsafeBuffer(new byte[ReplicationWire.ACK_LENGTH]);
        private final CommandCodec codec = new CommandCodec();
        private final CommandEvent scratch = new CommandEvent();
        private Subscription subscription;
        private Publication toPrimary;
        private byte[] endpointAscii;
        private long nonce;
        private long challenge;
        private int primarySession;
        /** The next sequence to publish into the ring. */
        private long expected;
        /** The checksum of record {@code expected - 1}, as journaled here: the JOIN names it. */
        private int lastChecksum;
        private long nextJoinNanos;
        private long lastHeardNanos;
        private long nextAckNanos;
        /** The silence (or step-down) of this session was reported once without a promotion. */
        private boolean silenceReported;

        StandbyAgent(final LinkAuth auth, final long lastSequence, final int lastChecksum)
        {
            this.auth = auth;
            this.invoker = aeron.conductorAgentInvoker();
            this.expected = lastSequence + 1;
            this.lastChecksum = lastChecksum;
            lastPublished = lastSequence;
        }

        LinkEndpoint bind(final LinkEndpoint own)
        {
            subscription = aeron.addSubscription(own.subscriptionChannel(), ReplicationWire.TO_STANDBY_STREAM);
            final LinkEndpoint bound = LinkEndpoint.bound(subscription, invoker, own);
            endpointAscii = bound.ascii();
            toPrimary = aeron.addPublication(config.primary.publicationChannel(config.termLength, config.mtu), ReplicationWire.TO_PRIMARY_STREAM);
            return bound;
        }

        @Override
        public String roleName()
        {
            return "flashsale-replication-standby";
        }

        @Override
        public int doWork()
        {
            int work = invoker.invoke();
            work += subscription.controlledPoll(assembler, FRAGMENT_LIMIT);
            final long now = System.nanoTime();
            work += watchForFailover(now);
            if (joined)
            {
                if (now - lastHeardNanos > TimeUnit.MILLISECONDS.toNanos(config.peerTimeoutMillis))
                {
                    joined = false;
                    acks.publication = null;
                    LOG.log(System.Logger.Level.WARNING, "replication: the primary at " + config.primary + " is silent; rejoining from sequence " + (expected - 1));
                }
                else if (now - nextAckNanos >= 0)
                {
                    // Also the standby's heartbeat.
                    nextAckNanos = now + TimeUnit.MILLISECONDS.toNanos(config.heartbeatMillis);
                    toPrimary.offer(ackBuffer, 0, ReplicationWire.ack(ackBuffer, nonce, acks.acked, acks.ackedTimestamp));
                }
            }
            else if (now - nextJoinNanos >= 0 && toPrimary.isConnected() && acks.acked == expected - 1)
            {
                // Only once the ring has journaled all it was given: the JOIN names what is on disk.
                nextJoinNanos = now + JOIN_RETRY_NANOS;
                nonce = auth.nonce();
                challenge = 0;
                work += sendJoin();
            }
            return work;
        }

        /** Asks for promotion when the primary this standby was in sync with is silent for failoverAfterMillis. */
        private int watchForFailover(final long now)
        {
            if (config.failoverAfterMillis <= 0 || failoverAsked || silenceReported || lastHeardNanos == 0 ||
                now - lastHeardNanos <= TimeUnit.MILLISECONDS.toNanos(config.failoverAfterMillis))
            {
                return 0;
            }
            failover("the primary at " + config.primary + " has been silent for " + config.failoverAfterMillis + " ms");
            return 1;
        }

        /** Asks for promotion if this standby is in sync; otherwise says, once, why it does not. */
        private void failover(final String why)
        {
            if (inSync())
            {
                failoverAsked = true;
                LOG.log(System.Logger.Level.WARNING, "replication: " + why + " and this standby is in sync at sequence " + lastPublished +
                    ": promoting itself (replication.failoverAfterMillis=" + config.failoverAfterMillis + ")");
                onFailover.accept(why);
                return;
            }
            silenceReported = true;
            failoverDeclined = why + ", but this standby never reached sync with it (it has sequence " + lastPublished + (liveFrom >= 0 ?
                ", sync needed " + liveFrom : "; the primary never said its replies waited for it, its last known sequence is " + primaryLastSequence) +
                "): orders the primary acknowledged may be missing here, so it does not promote itself";
            LOG.log(System.Logger.Level.ERROR, "replication: " + failoverDeclined + ". Restore the primary, or promote by hand knowing that");
        }

        private int sendJoin()
        {
            final long timestamp = System.currentTimeMillis();
            final long last = expected - 1;
            final long epoch = epochs.current();
            final int length = ReplicationWire.join(small, nonce, challenge, timestamp, last, epoch, lastChecksum,
                ReplicationWire.joinMac(auth, nonce, challenge, timestamp, last, epoch, lastChecksum, endpointAscii), endpointAscii);
            return toPrimary.offer(small, 0, length) > 0 ? 1 : 0;
        }

        private Action onMessage(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            if (length < ReplicationWire.BODY)
            {
                return Action.CONTINUE;
            }
            final int type = ReplicationWire.type(buffer, offset);
            if (!joined)
            {
                switch (type)
                {
                    case ReplicationWire.CHALLENGE -> onChallenge(buffer, offset, length);
                    case ReplicationWire.WELCOME -> onWelcome(buffer, offset, length, header.sessionId());
                    case ReplicationWire.REFUSED -> onRefused(buffer, offset, length);
                    case ReplicationWire.DIVERGED -> onDiverged(buffer, offset, length);
                    default ->
                    {
                    }
                }
                return Action.CONTINUE;
            }
            if (header.sessionId() != primarySession)
            {
                return Action.CONTINUE;
            }
            lastHeardNanos = System.nanoTime();
            if (type == ReplicationWire.RECORDS)
            {
                return onRecords(buffer, offset, length);
            }
            if (type == ReplicationWire.HEARTBEAT && length >= ReplicationWire.HEARTBEAT_LENGTH)
            {
                final long primaryLast = ReplicationWire.longAt(buffer, offset, 8);
                primaryLastSequence = primaryLast;
                final boolean live = ReplicationWire.longAt(buffer, offset, 24) == 1;
                if (!live)
                {
                    liveFrom = -1;
                }
                else if (liveFrom < 0)
                {
                    liveFrom = primaryLast;
                }
            }
            else if (type == ReplicationWire.STEP_DOWN && length >= ReplicationWire.STEP_DOWN_LENGTH)
            {
                onStepDown(buffer, offset, length);
            }
            return Action.CONTINUE;
        }

        /** The primary's ring failed: it says so, this standby confirms, and (in sync, failover on) takes over at once. */
        private void onStepDown(final DirectBuffer buffer, final int offset, final int length)
        {
            toPrimary.offer(small, 0, ReplicationWire.stepDownSeen(small, nonce));
            if (primaryStepDown != null)
            {
                return;
            }
            primaryStepDown = ReplicationWire.stepDownReason(buffer, offset, length);
            final String why = "the primary at " + config.primary + " STEPPED DOWN (" + primaryStepDown + ")";
            if (config.failoverAfterMillis > 0)
            {
                failover(why);
            }
            else
            {
                LOG.log(System.Logger.Level.ERROR, "replication: " + why + "; this standby " + (inSync() ?
                    "is in sync and WAITS TO BE PROMOTED (automatic promotion is off: replication.failoverAfterMillis=0): run flashsale promote" :
                    "is NOT in sync (it has sequence " + lastPublished + "): orders the primary acknowledged may be missing here"));
            }
        }

        private void onChallenge(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length >= ReplicationWire.CHALLENGE_LENGTH && ReplicationWire.longAt(buffer, offset, 0) == nonce && challenge == 0)
            {
                challenge = ReplicationWire.longAt(buffer, offset, 8);
                sendJoin();
            }
        }

        private void onWelcome(final DirectBuffer buffer, final int offset, final int length, final int session)
        {
            if (length < ReplicationWire.WELCOME_LENGTH || challenge == 0 || ReplicationWire.longAt(buffer, offset, 0) != nonce)
            {
                return;
            }
            final long primaryId = ReplicationWire.longAt(buffer, offset, 8);
            final long start = ReplicationWire.longAt(buffer, offset, 16);
            final long epoch = ReplicationWire.longAt(buffer, offset, 24);
            final byte[] mac = ReplicationWire.bytesAt(buffer, offset + ReplicationWire.WELCOME_MAC, ReplicationWire.MAC_LENGTH);
            if (!LinkAuth.matches(ReplicationWire.welcomeMac(auth, nonce, challenge, primaryId, start, epoch), mac) || start != expected)
            {
                LOG.log(System.Logger.Level.WARNING, "replication: a WELCOME that does not prove the secret (or starts at " + start + ", not " + expected + ") was ignored");
                return;
            }
            if (epoch < epochs.current())
            {
                refusal = "the primary at " + config.primary + " is in epoch " + epoch + ", older than this node's " + epochs.current() +
                    ": it was superseded; this node follows no older epoch";
                LOG.log(System.Logger.Level.ERROR, "replication: " + refusal);
                nextJoinNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                return;
            }
            if (epoch > epochs.current())
            {
                epochs.begin(epoch, start);
            }
            primarySession = session;
            lastHeardNanos = System.nanoTime();
            // A new session: in sync again only once this primary says so.
            liveFrom = -1;
            silenceReported = false;
            failoverDeclined = null;
            primaryStepDown = null;
            refusal = null;
            acks.nonce = nonce;
            acks.publication = toPrimary;
            joined = true;
            LOG.log(System.Logger.Level.INFO, "replication: joined the primary at " + config.primary + " from sequence " + (start - 1));
        }

        private void onRefused(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length >= ReplicationWire.BODY + 9 && ReplicationWire.longAt(buffer, offset, 0) == nonce)
            {
                final String reason = ReplicationWire.refusedReason(buffer, offset);
                if (!reason.equals(refusal))
                {
                    LOG.log(System.Logger.Level.ERROR, "replication: the primary refused this standby: " + reason);
                }
                refusal = reason;
                nextJoinNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            }
        }

        private void onDiverged(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length < ReplicationWire.DIVERGED_LENGTH || ReplicationWire.longAt(buffer, offset, 0) != nonce || nextJoinNanos == Long.MAX_VALUE)
            {
                return;
            }
            final long keepThrough = ReplicationWire.longAt(buffer, offset, 8);
            refusal = "this journal's records after sequence " + keepThrough + " belong to an epoch the primary superseded: " +
                "they are set aside at the next start, then this node catches up";
            LOG.log(System.Logger.Level.ERROR, "replication: " + refusal);
            nextJoinNanos = Long.MAX_VALUE;
            onDiverged.accept(keepThrough);
        }

        /** Publishes a batch of records into the ring, whole: waits (ABORT) while the ring lacks room for it. */
        private Action onRecords(final DirectBuffer buffer, final int offset, final int length)
        {
            final int count = buffer.getInt(offset + ReplicationWire.BODY, ReplicationWire.ORDER);
            if (pipeline.remainingCapacity() < count)
            {
                return Action.ABORT;
            }
            int at = offset + ReplicationWire.RECORDS_HEADER;
            final int end = offset + length;
            for (int i = 0; i < count; i++)
            {
                final int recordLength = buffer.getShort(at, ReplicationWire.ORDER) & 0xffff;
                if (recordLength > CommandCodec.MAX_RECORD_LENGTH || at + ReplicationWire.RECORD_PREFIX + recordLength > end)
                {
                    return dropSession("a RECORDS message runs past its length");
                }
                buffer.getBytes(at + ReplicationWire.RECORD_PREFIX, codec.array(), 0, recordLength);
                at += ReplicationWire.RECORD_PREFIX + recordLength;
                if (!codec.decode(recordLength, scratch))
                {
                    return dropSession("a damaged record arrived: " + codec.error());
                }
                final long sequence = codec.sequence();
                if (sequence < expected)
                {
                    continue;
                }
                if (sequence > expected)
                {
                    return dropSession("record " + sequence + " arrived where " + expected + " was expected");
                }
                Outcome published;
                while ((published = pipeline.replicate(scratch, codec.ringSequence(), acks, null)) == Outcome.BUSY)
                {
                    Thread.onSpinWait();
                }
                if (published != Outcome.PENDING)
                {
                    // The ring no longer takes commands (closing or failed): follow no further.
                    joined = false;
                    nextJoinNanos = Long.MAX_VALUE;
                    acks.publication = null;
                    return Action.BREAK;
                }
                expected = sequence + 1;
                lastChecksum = codec.checksum();
                lastPublished = sequence;
                received++;
            }
            return Action.CONTINUE;
        }

        private Action dropSession(final String why)
        {
            LOG.log(System.Logger.Level.ERROR, "replication: " + why + "; rejoining from sequence " + (expected - 1));
            joined = false;
            acks.publication = null;
            nextJoinNanos = System.nanoTime() + JOIN_RETRY_NANOS;
            return Action.BREAK;
        }
    }
}
