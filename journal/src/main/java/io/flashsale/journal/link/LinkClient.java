package io.flashsale.journal.link;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.journal.codec.CommandCodec;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An edge's end of the link: joins the core with the shared secret, sends admitted commands and
 * demand reports, and keeps what the core pushes (sale views, its clock, its standing: role and
 * epoch; admission probabilities go to an {@link AdmissionListener}, standings to a
 * {@link StandingListener} too) for the front to read without locks.
 *
 * <pre>
 *   IO threads: sendCommand ──> outbox (many-to-one ring) ──┐
 *   agent: handshake, heartbeats, reports, time requests ───┴─> one batch per duty cycle
 *          ──> publication to the core's address
 *   agent: subscription on the edge's own address <── the core's publication to this edge
 *          ──> {@link OutcomeListener}, {@link #views()}, {@link #clockOffset()}, {@link #coreStanding()}, liveness
 * </pre>
 *
 * <p>Liveness: the core sends something at least every heartbeat interval; when it has been
 * silent for more than {@code silenceIntervals} of them the client {@linkplain #isCoreAvailable()
 * stops being available} (the front answers 503 core-unavailable), completes every command in
 * flight as {@linkplain OutcomeListener#onOutcomeUnknown unknown}, and starts over with a new
 * publication (a new Aeron session) and a new handshake, until the core answers again; the edge
 * process never restarts. Only messages from the core session that proved the secret in its
 * WELCOME are believed.
 *
 * <p>Threads: one agent thread ({@link AgentRunner}, backing off when idle) owns the Aeron
 * client, the publication, the subscription and the table of commands in flight; the embedded
 * media driver has its own shared thread. {@link #sendCommand}, {@link #nextCorrelationId},
 * {@link #views()}, {@link #clockOffset()}, {@link #coreTimeMillis()}, {@link #isCoreAvailable()}
 * and the counters may be called from any thread and never block.
 */
public final class LinkClient implements AutoCloseable
{
    /** {@link #sendCommand} result: the link is not joined or the core is silent; nothing was sent. */
    public static final long NOT_JOINED = -1;
    /** {@link #sendCommand} result: the outbox is full or too many commands are in flight; nothing was sent. */
    public static final long BACK_PRESSURED = -2;

    private static final int FRAGMENT_LIMIT = 64;
    private static final int OUTBOX_READ_LIMIT = 4096;
    private static final int QUICK_TIME_SAMPLES = 8;

    /** Where the handshake stands. */
    public enum State
    {
        /** Looking for the core: HELLO sent, no WELCOME yet (or the core went silent). */
        CONNECTING,
        /** The core proved the secret and accepted ours; commands flow. */
        JOINED
    }

    /** What an edge's link needs; setters return this. */
    public static final class Config
    {
        private LinkEndpoint core;
        private LinkEndpoint endpoint;
        private int edgeId;
        private byte[] secret;
        private Path driverParent;
        private long heartbeatIntervalNanos = TimeUnit.MILLISECONDS.toNanos(50);
        private int silenceIntervals = 3;
        private long reportIntervalNanos = TimeUnit.MILLISECONDS.toNanos(100);
        private long helloIntervalNanos = TimeUnit.MILLISECONDS.toNanos(100);
        private long timeSyncIntervalNanos = TimeUnit.SECONDS.toNanos(1);
        private long commandTimeoutNanos = TimeUnit.SECONDS.toNanos(2);
        private int maxInFlight = 4_096;
        private int termLength = 4 << 20;
        private int mtu = 1408;
        private int outboxCapacity = 1 << 20;
        private int batchCapacity = 1 << 20;
        private EpochNanoClock clock = new SystemEpochNanoClock();
        private IdleStrategy idleStrategy;
        private ErrorHandler errorHandler = Throwable::printStackTrace;
        private DemandReporter reporter;
        private AdmissionListener admission = AdmissionListener.IGNORE;
        private StandingListener standing = StandingListener.IGNORE;

        /** The core's link address. */
        public Config core(final LinkEndpoint core)
        {
            this.core = core;
            return this;
        }

        /** This edge's own address, where the core sends to; bound and announced (port 0: any free port). */
        public Config endpoint(final LinkEndpoint endpoint)
        {
            this.endpoint = endpoint;
            return this;
        }

        /** This edge's id, &gt; 0 and unique among the core's edges. */
        public Config edgeId(final int edgeId)
        {
            this.edgeId = edgeId;
            return this;
        }

        /** The shared secret's bytes ({@code FLASHSALE_AUTH_SECRET}). */
        public Config secret(final byte[] secret)
        {
            this.secret = secret.clone();
            return this;
        }

        /** Where the media driver's folder goes (the data folder); default /dev/shm. */
        public Config driverParent(final Path driverParent)
        {
            this.driverParent = driverParent;
            return this;
        }

        /** How often the edge says it is alive, and the unit of the core's silence (default 50 ms). */
        public Config heartbeatInterval(final long value, final TimeUnit unit)
        {
            heartbeatIntervalNanos = unit.toNanos(value);
            return this;
        }

        /** The core is unavailable after this many heartbeat intervals without a word (default 3). */
        public Config silenceIntervals(final int intervals)
        {
            silenceIntervals = intervals;
            return this;
        }

        public Config reportInterval(final long value, final TimeUnit unit)
        {
            reportIntervalNanos = unit.toNanos(value);
            return this;
        }

        /** A command without an outcome after this long is completed as unknown (default 2 s). */
        public Config commandTimeout(final long value, final TimeUnit unit)
        {
            commandTimeoutNanos = unit.toNanos(value);
            return this;
        }

        /**
         * The most commands accepted and not yet completed (default 4,096); past it
         * {@link LinkClient#sendCommand} answers {@link LinkClient#BACK_PRESSURED}, so an overloaded
         * core makes the edge refuse at once instead of queueing past the command timeout. Keep
         * it within what the core buffers per edge (1 MiB, about 20,000 outcomes), so that the
         * core never has to drop an outcome for a live edge.
         */
        public Config maxInFlight(final int maxInFlight)
        {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Config timeSyncInterval(final long value, final TimeUnit unit)
        {
            timeSyncIntervalNanos = unit.toNanos(value);
            return this;
        }

        public Config termLength(final int termLength)
        {
            this.termLength = termLength;
            return this;
        }

        public Config mtu(final int mtu)
        {
            this.mtu = mtu;
            return this;
        }

        public Config outboxCapacity(final int capacity)
        {
            outboxCapacity = capacity;
            return this;
        }

        /** The edge's clock (default the system's); the offset to the core is measured against it. */
        public Config clock(final EpochNanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        public Config idleStrategy(final IdleStrategy idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /** Where errors of the duty cycle and the listener go. */
        public Config errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /** Told each admission probability the core pushes (default: ignored). */
        public Config admission(final AdmissionListener admission)
        {
            this.admission = admission;
            return this;
        }

        /** Told the core's standing (role, epoch, journal sequence) with each of its heartbeats (default: ignored). */
        public Config standing(final StandingListener standing)
        {
            this.standing = standing;
            return this;
        }

        /** Asked for the demand per sale every report interval while joined. */
        public Config reporter(final DemandReporter reporter)
        {
            this.reporter = reporter;
            return this;
        }
    }

    private final Config config;
    private final OutcomeListener listener;
    private final LinkDriver driver;
    private final EdgeAgent agent;
    private final AgentRunner runner;
    private final ManyToOneRingBuffer outbox;
    private final LinkEndpoint endpoint;
    private final RemoteSaleViews views;
    private final ClockOffset clockOffset = new ClockOffset();
    private final ThreadLocal<CommandCodec> codecs = ThreadLocal.withInitial(CommandCodec::new);
    private final AtomicLong correlationIds;
    private final AtomicLong notSent = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();

    private volatile State state = State.CONNECTING;
    private volatile long coreLastHeardNanos;
    private volatile long coreInstanceId;
    /** The joined core's role and epoch as its last heartbeat said ({@link CoreStanding#pack}); 0 until then. */
    private volatile long coreStanding;
    private volatile long coreJournalSequence = -1;

    private final Tally commandsSent = new Tally();
    private final Tally outcomesReceived = new Tally();
    private final Tally outcomesUnknown = new Tally();
    private final Tally lateOutcomes = new Tally();
    private final Tally joins = new Tally();
    private final Tally linkLosses = new Tally();
    private final Tally ignoredMessages = new Tally();

    private LinkClient(final Config config, final OutcomeListener listener)
    {
        if (config.core == null || config.endpoint == null || config.secret == null || config.edgeId <= 0 || listener == null)
        {
            throw new IllegalArgumentException("a link client needs the core's address, its own, an edge id > 0, a secret and a listener");
        }
        this.config = config;
        LinkEnds.checkFrameFits(config.mtu);
        this.listener = listener;
        this.views = new RemoteSaleViews(config.admission);
        final LinkAuth auth = new LinkAuth(config.secret);
        // Random start: a late outcome meant for an earlier life of this edge cannot match a new command.
        correlationIds = new AtomicLong(auth.nonce() >>> 2);
        outbox = LinkEnds.outbox(config.outboxCapacity);
        driver = LinkDriver.launch(config.driverParent, "edge", config.errorHandler);
        Aeron aeron = null;
        try
        {
            aeron = LinkEnds.connect(driver, config.errorHandler);
            agent = new EdgeAgent(aeron, auth);
            endpoint = agent.bind();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(aeron);
            driver.close();
            throw ex;
        }
        runner = new AgentRunner(LinkEnds.idleOrBackoff(config.idleStrategy), config.errorHandler, null, agent);
    }

    /** Binds this edge's address, starts the agent thread and begins looking for the core. */
    public static LinkClient launch(final Config config, final OutcomeListener listener)
    {
        final LinkClient client = new LinkClient(config, listener);
        AgentRunner.startOnThread(client.runner);
        return client;
    }

    /** This edge's bound address, as announced to the core. Any thread. */
    public LinkEndpoint endpoint()
    {
        return endpoint;
    }

    /** A fresh correlation id, for callers that must register it before the command is sent. Any thread. */
    public long nextCorrelationId()
    {
        return correlationIds.incrementAndGet();
    }

    /**
     * Sends a command under a fresh correlation id. The listener may be called before this
     * returns; callers that must register the id first use {@link #sendCommand(long, CommandEvent)}.
     *
     * @return the correlation id, or {@link #NOT_JOINED} / {@link #BACK_PRESSURED} (nothing sent)
     */
    public long sendCommand(final CommandEvent command)
    {
        return sendCommand(nextCorrelationId(), command);
    }

    /**
     * Sends the input fields of a PURCHASE, PAY, CANCEL or QUERY_ORDER (copied: the event may be
     * reused on return). Any thread; never blocks. Once accepted, the listener hears about this id
     * exactly once: its outcome, or unknown if the link is lost or the command times out.
     *
     * @return {@code correlationId}, or {@link #NOT_JOINED} / {@link #BACK_PRESSURED} when nothing
     *         was sent (the listener will not be called)
     * @throws IllegalArgumentException for another command type
     */
    public long sendCommand(final long correlationId, final CommandEvent command)
    {
        if (!isCoreAvailable())
        {
            notSent.incrementAndGet();
            return NOT_JOINED;
        }
        final CommandType type = command.type;
        if (type != CommandType.QUERY_ORDER && type != CommandType.PURCHASE && type != CommandType.PAY && type != CommandType.CANCEL)
        {
            throw new IllegalArgumentException(type + " does not cross the link");
        }
        if (inFlight.incrementAndGet() > config.maxInFlight)
        {
            inFlight.decrementAndGet();
            notSent.incrementAndGet();
            return BACK_PRESSURED;
        }
        final int index;
        if (type == CommandType.QUERY_ORDER)
        {
            index = outbox.tryClaim(LinkWire.QUERY_ORDER, LinkWire.QUERY_LENGTH);
            if (index >= 0)
            {
                LinkWire.queryOrder(outbox.buffer(), index, correlationId, command.timestamp, command.orderId, command.userId);
            }
        }
        else
        {
            final CommandCodec codec = codecs.get();
            final int recordLength = codec.encode(command, 0, CommandCodec.NO_RING_SEQUENCE);
            index = outbox.tryClaim(LinkWire.COMMAND, LinkWire.COMMAND_RECORD + recordLength);
            if (index >= 0)
            {
                LinkWire.command(outbox.buffer(), index, correlationId, codec.array(), recordLength);
            }
        }
        if (index < 0)
        {
            inFlight.decrementAndGet();
            notSent.incrementAndGet();
            return BACK_PRESSURED;
        }
        outbox.commit(index);
        return correlationId;
    }

    /** The core's sale views as last pushed: the engine's own structure, fed by this client. Any thread. */
    public SaleViews views()
    {
        return views.views();
    }

    /** The estimated offset of the core's clock. Any thread. */
    public ClockOffset clockOffset()
    {
        return clockOffset;
    }

    /** The core's clock as this edge estimates it, epoch nanoseconds. Any thread. */
    public long coreEpochNanos()
    {
        return config.clock.nanoTime() + clockOffset.offsetNanos();
    }

    /** The core's clock as this edge estimates it, epoch milliseconds (what {@code /api/time} answers). Any thread. */
    public long coreTimeMillis()
    {
        return TimeUnit.NANOSECONDS.toMillis(coreEpochNanos());
    }

    public State state()
    {
        return state;
    }

    /**
     * True when joined and the core was heard from within the last {@code silenceIntervals}
     * heartbeat intervals: the edge may admit. Any thread.
     */
    public boolean isCoreAvailable()
    {
        return state == State.JOINED && System.nanoTime() - coreLastHeardNanos <= silenceNanos();
    }

    /** {@link System#nanoTime()} when the core was last heard from. Any thread. */
    public long coreLastHeardNanos()
    {
        return coreLastHeardNanos;
    }

    /**
     * The joined core's role and epoch from its last heartbeat, packed ({@link CoreStanding#role(long)},
     * {@link CoreStanding#epoch(long)}): role {@link CoreStanding#UNKNOWN} until the core has said it
     * since this client (re)joined. Any thread.
     */
    public long coreStanding()
    {
        return coreStanding;
    }

    /** The joined core's last journal sequence as its last heartbeat said; -1 unknown. Any thread. */
    public long coreJournalSequence()
    {
        return coreJournalSequence;
    }

    /** The instance id of the core this edge joined last (changes when the core restarts). Any thread. */
    public long coreInstanceId()
    {
        return coreInstanceId;
    }

    private long silenceNanos()
    {
        return config.silenceIntervals * config.heartbeatIntervalNanos;
    }

    public long commandsSent()
    {
        return commandsSent.get();
    }

    /** Commands accepted by sendCommand whose outcome (or unknown) has not been told yet. Any thread. */
    public long commandsInFlight()
    {
        return inFlight.get();
    }

    /** sendCommand calls that sent nothing (not joined, or back-pressure). */
    public long commandsNotSent()
    {
        return notSent.get();
    }

    public long outcomesReceived()
    {
        return outcomesReceived.get();
    }

    /** Commands completed as unknown (link lost, or timed out). */
    public long outcomesUnknown()
    {
        return outcomesUnknown.get();
    }

    /** Outcomes that came after their command was completed as unknown; dropped. */
    public long lateOutcomes()
    {
        return lateOutcomes.get();
    }

    /** Times this client completed a handshake. */
    public long joins()
    {
        return joins.get();
    }

    /** Times this client gave up on a silent core and started over. */
    public long linkLosses()
    {
        return linkLosses.get();
    }

    /** Messages not from the joined core's session (or before joining), ignored. */
    public long ignoredMessages()
    {
        return ignoredMessages.get();
    }

    /** Stops the agent (commands in flight are not completed), closes Aeron and the media driver. Any thread, once. */
    @Override
    public void close()
    {
        CloseHelper.quietClose(runner);
        driver.close();
    }

    /** The duty cycle. Agent thread only. */
    private final class EdgeAgent implements Agent, FragmentHandler, ControlledMessageHandler, DemandReporter.Sink
    {
        private static final int NO_SESSION = Integer.MIN_VALUE;

        private final Aeron aeron;
        private final AgentInvoker invoker;
        private final LinkAuth auth;
        private final Outbound batch = new Outbound(config.batchCapacity);
        private final Long2LongHashMap pending = new Long2LongHashMap(-1);
        private final LongArrayQueue pendingOrder = new LongArrayQueue(1024, Long.MIN_VALUE);
        private final CommandEvent result = new CommandEvent();
        private final byte[] macBytes = new byte[LinkWire.MAC_LENGTH];
        private final LinkEndpoint coreEndpoint = config.core;
        private Subscription subscription;
        private ExclusivePublication publication;
        private byte[] endpointAscii;
        private long edgeNonce;
        private long coreChallenge;
        private int challengeSession = NO_SESSION;
        private int coreSession = NO_SESSION;
        private long nextHelloNanos;
        private long nextHeartbeatNanos;
        private long nextReportNanos;
        private long lastReportNanos;
        private long nextTimeRequestNanos;
        private int timeRequestsSinceJoin;
        private long nowNanos;

        EdgeAgent(final Aeron aeron, final LinkAuth auth)
        {
            this.aeron = aeron;
            this.invoker = aeron.conductorAgentInvoker();
            this.auth = auth;
        }

        /** Caller's thread, before the agent starts. */
        LinkEndpoint bind()
        {
            subscription = aeron.addSubscription(config.endpoint.subscriptionChannel(), LinkServer.CORE_TO_EDGE_STREAM);
            final LinkEndpoint bound = LinkEndpoint.bound(subscription, invoker, config.endpoint);
            endpointAscii = bound.ascii();
            startOver();
            return bound;
        }

        @Override
        public String roleName()
        {
            return "flashsale-link-edge-" + config.edgeId;
        }

        @Override
        public int doWork()
        {
            int work = invoker.invoke();
            nowNanos = System.nanoTime();
            work += subscription.poll(this, FRAGMENT_LIMIT);
            work += timers();
            work += outbox.controlledRead(this, OUTBOX_READ_LIMIT);
            work += expireCommands();
            work += batch.flush(publication);
            return work;
        }

        private int timers()
        {
            if (state == State.CONNECTING)
            {
                if (nowNanos - nextHelloNanos >= 0 && publication.isConnected())
                {
                    nextHelloNanos = nowNanos + config.helloIntervalNanos;
                    batch.clear();
                    hello();
                    return 1;
                }
                return 0;
            }
            if (nowNanos - coreLastHeardNanos > silenceNanos())
            {
                linkLosses.increment();
                startOver();
                return 1;
            }
            int work = 0;
            if (nowNanos - nextHeartbeatNanos >= 0)
            {
                nextHeartbeatNanos = nowNanos + config.heartbeatIntervalNanos;
                final int at = batch.reserve(LinkWire.HEARTBEAT_LENGTH);
                if (at >= 0)
                {
                    LinkWire.heartbeat(batch.buffer(), at, config.edgeId, config.clock.nanoTime());
                }
                work++;
            }
            if (nowNanos - nextTimeRequestNanos >= 0)
            {
                nextTimeRequestNanos = nowNanos +
                    (++timeRequestsSinceJoin < QUICK_TIME_SAMPLES ? config.heartbeatIntervalNanos : config.timeSyncIntervalNanos);
                final int at = batch.reserve(LinkWire.TIME_REQUEST_LENGTH);
                if (at >= 0)
                {
                    LinkWire.timeRequest(batch.buffer(), at, config.clock.nanoTime());
                }
                work++;
            }
            if (config.reporter != null && nowNanos - nextReportNanos >= 0)
            {
                nextReportNanos = nowNanos + config.reportIntervalNanos;
                config.reporter.reportTo(this);
                lastReportNanos = nowNanos;
                work++;
            }
            return work;
        }

        /** DemandReporter.Sink: one REPORT into this cycle's batch. */
        @Override
        public void sale(final long saleId, final long attempts, final long onlineShoppers)
        {
            final int at = batch.reserve(LinkWire.REPORT_LENGTH);
            if (at >= 0)
            {
                LinkWire.report(batch.buffer(), at, saleId, attempts, onlineShoppers,
                    TimeUnit.NANOSECONDS.toMillis(nowNanos - lastReportNanos));
            }
        }

        private void hello()
        {
            final long timestamp = TimeUnit.NANOSECONDS.toMillis(config.clock.nanoTime());
            final int at = batch.reserve(LinkWire.HELLO_ENDPOINT + endpointAscii.length);
            LinkWire.hello(batch.buffer(), at, config.edgeId, edgeNonce, coreChallenge, timestamp,
                auth.helloMac(config.edgeId, edgeNonce, coreChallenge, timestamp, endpointAscii), endpointAscii);
        }

        /** A new session and a new handshake; every command in flight becomes unknown. */
        private void startOver()
        {
            state = State.CONNECTING;
            coreStanding = 0;
            coreJournalSequence = -1;
            failPending();
            batch.clear();
            CloseHelper.quietClose(publication);
            publication = aeron.addExclusivePublication(
                coreEndpoint.publicationChannel(config.termLength, config.mtu), LinkServer.EDGE_TO_CORE_STREAM);
            edgeNonce = auth.nonce();
            coreChallenge = 0;
            challengeSession = NO_SESSION;
            coreSession = NO_SESSION;
            nextHelloNanos = System.nanoTime();
        }

        private void failPending()
        {
            while (!pendingOrder.isEmpty())
            {
                final long id = pendingOrder.pollLong();
                if (pending.remove(id) != -1)
                {
                    unknown(id);
                }
            }
        }

        private int expireCommands()
        {
            int work = 0;
            while (!pendingOrder.isEmpty())
            {
                final long id = pendingOrder.peekLong();
                final long sentNanos = pending.get(id);
                if (sentNanos != -1 && nowNanos - sentNanos < config.commandTimeoutNanos)
                {
                    break;
                }
                pendingOrder.pollLong();
                if (sentNanos != -1)
                {
                    pending.remove(id);
                    unknown(id);
                }
                work++;
            }
            return work;
        }

        private void unknown(final long correlationId)
        {
            inFlight.decrementAndGet();
            outcomesUnknown.increment();
            try
            {
                listener.onOutcomeUnknown(correlationId);
            }
            catch (final RuntimeException ex)
            {
                config.errorHandler.onError(ex);
            }
        }

        // ---- from the outbox (IO threads' commands)

        @Override
        public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final long correlationId = buffer.getLong(index + LinkWire.COMMAND_CORRELATION, LinkWire.ORDER);
            if (state != State.JOINED)
            {
                unknown(correlationId);
                return Action.CONTINUE;
            }
            final int messageLength = LinkWire.length(buffer, index);
            if (!batch.append(buffer, index, messageLength))
            {
                return Action.ABORT;
            }
            pending.put(correlationId, nowNanos);
            pendingOrder.addLong(correlationId);
            commandsSent.increment();
            return Action.CONTINUE;
        }

        // ---- from the core

        @Override
        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            final int sessionId = header.sessionId();
            final boolean fromCore = sessionId == coreSession;
            if (fromCore)
            {
                coreLastHeardNanos = nowNanos;
            }
            final int end = offset + length;
            int at = offset;
            while (at + LinkWire.HEADER_LENGTH <= end)
            {
                final int messageLength = LinkWire.length(buffer, at);
                if (messageLength < LinkWire.HEADER_LENGTH || at + messageLength > end)
                {
                    ignoredMessages.increment();
                    return;
                }
                if (LinkWire.version(buffer, at) == LinkWire.VERSION)
                {
                    try
                    {
                        onCoreMessage(sessionId, fromCore, buffer, at);
                    }
                    catch (final RuntimeException ex)
                    {
                        config.errorHandler.onError(ex);
                    }
                }
                at += messageLength;
            }
        }

        private void onCoreMessage(final int sessionId, final boolean fromCore, final DirectBuffer buffer, final int at)
        {
            final byte type = LinkWire.type(buffer, at);
            if (!fromCore)
            {
                if (state == State.CONNECTING && type == LinkWire.CHALLENGE)
                {
                    onChallenge(sessionId, buffer, at);
                }
                else if (state == State.CONNECTING && type == LinkWire.WELCOME && sessionId == challengeSession)
                {
                    onWelcome(sessionId, buffer, at);
                }
                else
                {
                    ignoredMessages.increment();
                }
                return;
            }
            switch (type)
            {
                case LinkWire.OUTCOME ->
                {
                    final long correlationId = buffer.getLong(at + 4, LinkWire.ORDER);
                    if (pending.remove(correlationId) == -1)
                    {
                        lateOutcomes.increment();
                        return;
                    }
                    result.clearResult();
                    LinkWire.readOutcome(buffer, at, result);
                    outcomesReceived.increment();
                    inFlight.decrementAndGet();
                    listener.onOutcome(correlationId, result);
                }
                case LinkWire.SALE_VIEW -> views.onSaleView(buffer, at);
                case LinkWire.ADMISSION ->
                {
                    if (!views.onAdmission(buffer, at))
                    {
                        ignoredMessages.increment();
                    }
                }
                case LinkWire.TIME_REPLY -> clockOffset.sample(
                    buffer.getLong(at + 4, LinkWire.ORDER), buffer.getLong(at + 12, LinkWire.ORDER), config.clock.nanoTime());
                case LinkWire.HEARTBEAT -> onCoreHeartbeat(buffer, at);
                default ->
                {
                    // unknown types are skipped
                }
            }
        }

        /** Being heard, and the core's standing; a heartbeat without one is from a core that knows no replication. */
        private void onCoreHeartbeat(final DirectBuffer buffer, final int at)
        {
            byte role = CoreStanding.PRIMARY;
            long epoch = 0;
            long sequence = -1;
            if (LinkWire.length(buffer, at) >= LinkWire.CORE_HEARTBEAT_LENGTH)
            {
                role = buffer.getByte(at + LinkWire.HEARTBEAT_ROLE);
                epoch = buffer.getLong(at + LinkWire.HEARTBEAT_EPOCH, LinkWire.ORDER);
                sequence = buffer.getLong(at + LinkWire.HEARTBEAT_SEQUENCE, LinkWire.ORDER);
                if (role != CoreStanding.PRIMARY && role != CoreStanding.STANDBY || epoch < 0 || epoch >= 1L << 61)
                {
                    ignoredMessages.increment();
                    return;
                }
            }
            coreJournalSequence = sequence;
            coreStanding = CoreStanding.pack(role, epoch);
            config.standing.onStanding(role, epoch, sequence);
        }

        private void onChallenge(final int sessionId, final DirectBuffer buffer, final int at)
        {
            if (buffer.getLong(at + 4, LinkWire.ORDER) != edgeNonce)
            {
                ignoredMessages.increment();
                return;
            }
            coreChallenge = buffer.getLong(at + 12, LinkWire.ORDER);
            challengeSession = sessionId;
            batch.clear();
            hello();
            nextHelloNanos = nowNanos + config.helloIntervalNanos;
        }

        private void onWelcome(final int sessionId, final DirectBuffer buffer, final int at)
        {
            final int edgeId = buffer.getInt(at + 4, LinkWire.ORDER);
            final long instanceId = buffer.getLong(at + 8, LinkWire.ORDER);
            buffer.getBytes(at + LinkWire.WELCOME_MAC, macBytes);
            if (edgeId != config.edgeId ||
                !LinkAuth.matches(auth.welcomeMac(edgeId, edgeNonce, coreChallenge, instanceId), macBytes))
            {
                ignoredMessages.increment();
                return;
            }
            coreSession = sessionId;
            coreInstanceId = instanceId;
            coreLastHeardNanos = nowNanos;
            clockOffset.reset();
            timeRequestsSinceJoin = 0;
            nextHeartbeatNanos = nowNanos;
            nextTimeRequestNanos = nowNanos;
            nextReportNanos = nowNanos + config.reportIntervalNanos;
            lastReportNanos = nowNanos;
            joins.increment();
            state = State.JOINED;
        }

        @Override
        public void onClose()
        {
            CloseHelper.quietClose(publication);
            CloseHelper.quietClose(subscription);
            CloseHelper.quietClose(aeron);
        }
    }
}
