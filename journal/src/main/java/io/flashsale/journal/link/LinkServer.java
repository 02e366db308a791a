package io.flashsale.journal.link;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.journal.codec.CommandCodec;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The core's end of the link: edges connect to one UDP address, prove they hold the secret, send
 * commands and demand reports; the core answers each command to the edge that sent it and pushes
 * sale views and admission probabilities to every edge.
 *
 * <pre>
 *   edge 1 ─┐  one publication each, to the core's address (one image per edge session)
 *   edge 2 ─┼──> [ subscription HOST:PORT ] ──> agent: handshake, {@link LinkHandler}
 *   edge N ─┘
 *   any thread: sendOutcome / broadcastView / broadcastAdmission ──> outbox (many-to-one ring)
 *   agent: outbox ──> one batch per edge ──> publication to the edge's own endpoint (from its HELLO)
 * </pre>
 *
 * Each edge gets a publication of its own, so an outcome travels to the edge that sent the
 * command and to no other; the address comes from the edge's authenticated HELLO. Edge sessions
 * are told apart by their Aeron session id; a session that has not completed the handshake
 * ({@link LinkAuth}) has every command ignored and counted ({@link #commandsRefused()}).
 *
 * <p>Threads: one agent thread (this class's duty cycle, {@link AgentRunner}, backing off when
 * idle) owns the Aeron client, every publication and every {@link EdgePeer}; the embedded media
 * driver has its own shared thread. {@link #sendOutcome}, {@link #broadcastView} and
 * {@link #broadcastAdmission} may be called from any thread and never block. Errors in the duty
 * cycle and in the handler go to the configured {@link ErrorHandler}.
 */
public final class LinkServer implements AutoCloseable
{
    /** Aeron stream id of edge-to-core traffic. */
    public static final int EDGE_TO_CORE_STREAM = 1001;
    /** Aeron stream id of core-to-edge traffic. */
    public static final int CORE_TO_EDGE_STREAM = 1002;

    private static final int ALL_EDGES = -1;
    private static final int ROUTE_LENGTH = 4;
    private static final int FRAGMENT_LIMIT = 64;
    private static final int OUTBOX_READ_LIMIT = 4096;
    /** A push on change comes at most this often: a core applying 100k purchases/s must not push 100k times. */
    private static final long MIN_VIEWS_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** What a core's link needs; setters return this. Defaults suit a core with a few edges. */
    public static final class Config
    {
        private LinkEndpoint endpoint;
        private byte[] secret;
        private Path driverParent;
        private long heartbeatIntervalNanos = TimeUnit.MILLISECONDS.toNanos(50);
        private long viewIntervalNanos = TimeUnit.MILLISECONDS.toNanos(50);
        private long edgeTimeoutNanos = TimeUnit.SECONDS.toNanos(1);
        private long helloMaxSkewMillis = TimeUnit.MINUTES.toMillis(5);
        private int maxSessions = 256;
        private int termLength = 4 << 20;
        private int mtu = 1408;
        private int outboxCapacity = 1 << 20;
        private int edgeBufferCapacity = 1 << 20;
        private EpochNanoClock clock = new SystemEpochNanoClock();
        private IdleStrategy idleStrategy;
        private ErrorHandler errorHandler = Throwable::printStackTrace;
        private ViewSource viewSource;
        private CoreStanding standing = CoreStanding.ALONE;

        /** The address to bind, and only it (port 0: any free port, see {@link LinkServer#endpoint()}). */
        public Config endpoint(final LinkEndpoint endpoint)
        {
            this.endpoint = endpoint;
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

        public Config heartbeatInterval(final long value, final TimeUnit unit)
        {
            heartbeatIntervalNanos = unit.toNanos(value);
            return this;
        }

        /** How often every view and probability is pushed even when nothing changed (default 50 ms). */
        public Config viewInterval(final long value, final TimeUnit unit)
        {
            viewIntervalNanos = unit.toNanos(value);
            return this;
        }

        /** An edge not heard from for this long is dropped (default 1 s). */
        public Config edgeTimeout(final long value, final TimeUnit unit)
        {
            edgeTimeoutNanos = unit.toNanos(value);
            return this;
        }

        /** How far a HELLO's timestamp may be from the core's clock (default 5 min). */
        public Config helloMaxSkewMillis(final long millis)
        {
            helloMaxSkewMillis = millis;
            return this;
        }

        /** The most edge sessions, joined or not, held at once; more are ignored. */
        public Config maxSessions(final int maxSessions)
        {
            this.maxSessions = maxSessions;
            return this;
        }

        /** Aeron term length of the core's publications (power of two, 64 KiB..1 GiB). */
        public Config termLength(final int termLength)
        {
            this.termLength = termLength;
            return this;
        }

        /** Frame size of the core's publications; 1408 fits an Ethernet MTU. */
        public Config mtu(final int mtu)
        {
            this.mtu = mtu;
            return this;
        }

        /** Bytes of the many-to-one outbox (rounded up to a power of two). */
        public Config outboxCapacity(final int capacity)
        {
            outboxCapacity = capacity;
            return this;
        }

        /** The core's clock: the one commands are stamped with, echoed in TIME_REPLY. */
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

        /** Where errors of the duty cycle and the handler go (to be wired to fail-fast). */
        public Config errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /** Called on the agent thread every view interval and when an edge joins. */
        public Config viewSource(final ViewSource viewSource)
        {
            this.viewSource = viewSource;
            return this;
        }

        /** What every heartbeat says of this core's role and epoch (default {@link CoreStanding#ALONE}). */
        public Config standing(final CoreStanding standing)
        {
            this.standing = standing;
            return this;
        }
    }

    /**
     * Pushes every sale's view and admission probability; called by the link's agent thread every
     * view interval and when an edge joins, so an edge is never more than one interval behind.
     */
    @FunctionalInterface
    public interface ViewSource
    {
        void broadcast(LinkServer server);
    }

    private final Config config;
    private final LinkDriver driver;
    private final CoreAgent agent;
    private final AgentRunner runner;
    private final ManyToOneRingBuffer outbox;
    private final LinkEndpoint endpoint;
    private final long instanceId;
    private volatile int joinedEdges;
    /** Set by {@link #viewsChanged()} on any thread, cleared by the agent when it pushes. */
    private volatile boolean viewsChanged;

    private final Tally commandsReceived = new Tally();
    private final Tally commandsRefused = new Tally();
    private final Tally commandsMalformed = new Tally();
    private final Tally hellosRejected = new Tally();
    private final Tally outcomesDropped = new Tally();
    private final AtomicLong outboxFull = new AtomicLong();

    private LinkServer(final Config config, final LinkHandler handler)
    {
        if (config.endpoint == null || config.secret == null)
        {
            throw new IllegalArgumentException("a link server needs an endpoint and a secret");
        }
        this.config = config;
        LinkEnds.checkFrameFits(config.mtu);
        final LinkAuth auth = new LinkAuth(config.secret);
        instanceId = auth.nonce();
        outbox = LinkEnds.outbox(config.outboxCapacity);
        driver = LinkDriver.launch(config.driverParent, "core", config.errorHandler);
        Aeron aeron = null;
        try
        {
            aeron = LinkEnds.connect(driver, config.errorHandler);
            agent = new CoreAgent(aeron, auth, handler);
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

    /** Binds the configured address and starts the agent thread. */
    public static LinkServer launch(final Config config, final LinkHandler handler)
    {
        final LinkServer server = new LinkServer(config, handler);
        AgentRunner.startOnThread(server.runner);
        return server;
    }

    /** The bound address (the configured one, with the port resolved when it was 0). Any thread. */
    public LinkEndpoint endpoint()
    {
        return endpoint;
    }

    /** Random per start: an edge that sees it change knows the core restarted. */
    public long instanceId()
    {
        return instanceId;
    }

    /**
     * Sends a command's outcome to the edge that sent it (the result fields of {@code result} are
     * copied; the event may be reused on return). Any thread; never blocks.
     *
     * @return false when the outbox is full (counted); the edge will time the command out as unknown
     */
    public boolean sendOutcome(final int edgeId, final long correlationId, final CommandEvent result)
    {
        final int index = outbox.tryClaim(LinkWire.OUTCOME, ROUTE_LENGTH + LinkWire.OUTCOME_LENGTH);
        if (index < 0)
        {
            return full();
        }
        final UnsafeBuffer buffer = (UnsafeBuffer)outbox.buffer();
        buffer.putInt(index, edgeId, LinkWire.ORDER);
        LinkWire.outcome(buffer, index + ROUTE_LENGTH, correlationId, result);
        outbox.commit(index);
        return true;
    }

    /**
     * Sends a sale's terms and counts to every joined edge. {@code counts} is one consistent cut of
     * {@code view} read by the caller ({@link SaleView#readCounts}). Any thread; never blocks.
     *
     * @return false when the outbox is full (counted); the next periodic push repairs it
     */
    public boolean broadcastView(final SaleView view, final SaleCounts counts)
    {
        final int index = outbox.tryClaim(LinkWire.SALE_VIEW, ROUTE_LENGTH + LinkWire.MAX_SALE_VIEW_LENGTH);
        if (index < 0)
        {
            return full();
        }
        final UnsafeBuffer buffer = (UnsafeBuffer)outbox.buffer();
        buffer.putInt(index, ALL_EDGES, LinkWire.ORDER);
        LinkWire.saleView(buffer, index + ROUTE_LENGTH, view, counts, TimeUnit.NANOSECONDS.toMillis(config.clock.nanoTime()));
        outbox.commit(index);
        return true;
    }

    /** Sends a sale's admission probability to every joined edge. Any thread; never blocks. */
    public boolean broadcastAdmission(final long saleId, final double probability)
    {
        final int index = outbox.tryClaim(LinkWire.ADMISSION, ROUTE_LENGTH + LinkWire.ADMISSION_LENGTH);
        if (index < 0)
        {
            return full();
        }
        final UnsafeBuffer buffer = (UnsafeBuffer)outbox.buffer();
        buffer.putInt(index, ALL_EDGES, LinkWire.ORDER);
        LinkWire.admission(buffer, index + ROUTE_LENGTH, saleId, probability);
        outbox.commit(index);
        return true;
    }

    /**
     * Says the sales changed (a ring batch applied purchases): the agent pushes every view on its
     * next duty cycle, at most once every 5 ms, besides the periodic push. Any thread; never blocks.
     */
    public void viewsChanged()
    {
        if (!viewsChanged)
        {
            viewsChanged = true;
        }
    }

    private boolean full()
    {
        outboxFull.incrementAndGet();
        return false;
    }

    /** Edges that completed the handshake and have not gone silent. Any thread. */
    public int joinedEdges()
    {
        return joinedEdges;
    }

    /** Commands handed to the handler. Any thread. */
    public long commandsReceived()
    {
        return commandsReceived.get();
    }

    /** Commands ignored because their session never authenticated. Any thread. */
    public long commandsRefused()
    {
        return commandsRefused.get();
    }

    /** Commands whose record did not decode (answered INVALID). Any thread. */
    public long commandsMalformed()
    {
        return commandsMalformed.get();
    }

    /** HELLOs with a wrong MAC, challenge or timestamp. Any thread. */
    public long hellosRejected()
    {
        return hellosRejected.get();
    }

    /** Outcomes for an edge that is gone or too far behind. Any thread. */
    public long outcomesDropped()
    {
        return outcomesDropped.get();
    }

    /** Sends refused because the outbox was full. Any thread. */
    public long outboxFull()
    {
        return outboxFull.get();
    }

    /** Stops the agent, closes every publication, the Aeron client and the media driver. Any thread, once. */
    @Override
    public void close()
    {
        CloseHelper.quietClose(runner);
        driver.close();
    }

    /** The duty cycle. Agent thread only. */
    private final class CoreAgent implements Agent, FragmentHandler, MessageHandler
    {
        private final Aeron aeron;
        private final AgentInvoker invoker;
        private final LinkAuth auth;
        private final LinkHandler handler;
        private final CommandCodec codec = new CommandCodec();
        private final CommandEvent command = new CommandEvent();
        private final CommandEvent invalid = new CommandEvent();
        private final Int2ObjectHashMap<EdgePeer> bySession = new Int2ObjectHashMap<>();
        private final Int2ObjectHashMap<EdgePeer> byEdge = new Int2ObjectHashMap<>();
        private final List<EdgePeer> peers = new ArrayList<>();
        private final byte[] macBytes = new byte[LinkWire.MAC_LENGTH];
        private Subscription subscription;
        private long nextHeartbeatNanos;
        private byte standingRole;
        private long standingEpoch;
        private long standingSequence;
        private long nextViewsNanos;
        private long lastViewsNanos;
        private boolean viewsDue;

        CoreAgent(final Aeron aeron, final LinkAuth auth, final LinkHandler handler)
        {
            this.aeron = aeron;
            this.invoker = aeron.conductorAgentInvoker();
            this.auth = auth;
            this.handler = handler;
            invalid.outcome = Outcome.INVALID;
        }

        /** Caller's thread, before the agent starts. */
        LinkEndpoint bind()
        {
            subscription = aeron.addSubscription(
                config.endpoint.subscriptionChannel(), EDGE_TO_CORE_STREAM, null, this::onImageGone);
            return LinkEndpoint.bound(subscription, invoker, config.endpoint);
        }

        @Override
        public String roleName()
        {
            return "flashsale-link-core";
        }

        @Override
        public int doWork()
        {
            int work = invoker.invoke();
            work += subscription.poll(this, FRAGMENT_LIMIT);
            final long now = System.nanoTime();
            work += timers(now);
            work += outbox.read(this, OUTBOX_READ_LIMIT);
            for (int i = 0, n = peers.size(); i < n; i++)
            {
                final EdgePeer peer = peers.get(i);
                if (peer.outbound != null && !peer.outbound.isEmpty())
                {
                    work += peer.outbound.flush(peer.publication);
                }
            }
            return work;
        }

        private int timers(final long now)
        {
            int work = 0;
            if (now - nextHeartbeatNanos >= 0)
            {
                nextHeartbeatNanos = now + config.heartbeatIntervalNanos;
                readStanding();
                for (int i = peers.size() - 1; i >= 0; i--)
                {
                    final EdgePeer peer = peers.get(i);
                    if (now - peer.lastHeardNanos > config.edgeTimeoutNanos)
                    {
                        remove(peer);
                    }
                    else if (peer.authenticated)
                    {
                        heartbeat(peer);
                    }
                }
                work++;
            }
            final boolean changed = viewsChanged && now - lastViewsNanos >= MIN_VIEWS_GAP_NANOS;
            if (config.viewSource != null && (viewsDue || changed || now - nextViewsNanos >= 0))
            {
                viewsDue = false;
                viewsChanged = false;
                lastViewsNanos = now;
                nextViewsNanos = now + config.viewIntervalNanos;
                config.viewSource.broadcast(LinkServer.this);
                work++;
            }
            return work;
        }

        /** The standing every heartbeat of this round says; role first (see {@link CoreStanding}). */
        private void readStanding()
        {
            final CoreStanding standing = config.standing;
            standingRole = standing.role();
            standingEpoch = standing.epoch();
            standingSequence = standing.journalSequence();
        }

        private void heartbeat(final EdgePeer peer)
        {
            final int at = peer.outbound.reserve(LinkWire.CORE_HEARTBEAT_LENGTH);
            if (at >= 0)
            {
                LinkWire.coreHeartbeat(peer.outbound.buffer(), at, config.clock.nanoTime(), standingRole, standingEpoch, standingSequence);
            }
        }

        // ---- from the outbox (any thread's sends)

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final int edgeId = buffer.getInt(index, LinkWire.ORDER);
            final int at = index + ROUTE_LENGTH;
            final int messageLength = LinkWire.length(buffer, at);
            if (edgeId == ALL_EDGES)
            {
                for (int i = 0, n = peers.size(); i < n; i++)
                {
                    final EdgePeer peer = peers.get(i);
                    if (peer.authenticated)
                    {
                        peer.outbound.append(buffer, at, messageLength);
                    }
                }
                return;
            }
            final EdgePeer peer = byEdge.get(edgeId);
            if (peer == null || !peer.outbound.append(buffer, at, messageLength))
            {
                outcomesDropped.increment();
            }
        }

        // ---- from the edges

        @Override
        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            final long now = System.nanoTime();
            EdgePeer peer = bySession.get(header.sessionId());
            if (peer == null)
            {
                if (bySession.size() >= config.maxSessions)
                {
                    return;
                }
                peer = new EdgePeer(header.sessionId(), now);
                bySession.put(peer.sessionId, peer);
                peers.add(peer);
            }
            peer.lastHeardNanos = now;
            final int end = offset + length;
            int at = offset;
            while (at + LinkWire.HEADER_LENGTH <= end)
            {
                final int messageLength = LinkWire.length(buffer, at);
                if (messageLength < LinkWire.HEADER_LENGTH || at + messageLength > end)
                {
                    commandsMalformed.increment();
                    return;
                }
                if (LinkWire.version(buffer, at) == LinkWire.VERSION)
                {
                    try
                    {
                        onEdgeMessage(peer, buffer, at, messageLength);
                    }
                    catch (final RuntimeException ex)
                    {
                        config.errorHandler.onError(ex);
                    }
                }
                at += messageLength;
            }
        }

        private void onEdgeMessage(final EdgePeer peer, final DirectBuffer buffer, final int at, final int length)
        {
            final byte type = LinkWire.type(buffer, at);
            if (type == LinkWire.HELLO)
            {
                onHello(peer, buffer, at, length);
                return;
            }
            if (!peer.authenticated)
            {
                if (type == LinkWire.COMMAND || type == LinkWire.QUERY_ORDER)
                {
                    commandsRefused.increment();
                }
                return;
            }
            switch (type)
            {
                case LinkWire.COMMAND -> onCommand(peer, buffer, at, length);
                case LinkWire.QUERY_ORDER ->
                {
                    command.clear();
                    command.type = CommandType.QUERY_ORDER;
                    command.timestamp = buffer.getLong(at + 12, LinkWire.ORDER);
                    command.orderId = buffer.getLong(at + 20, LinkWire.ORDER);
                    command.userId = buffer.getLong(at + 28, LinkWire.ORDER);
                    commandsReceived.increment();
                    handler.onCommand(peer.edgeId, buffer.getLong(at + 4, LinkWire.ORDER), command);
                }
                case LinkWire.REPORT -> handler.onReport(
                    peer.edgeId,
                    buffer.getLong(at + 4, LinkWire.ORDER),
                    buffer.getLong(at + 12, LinkWire.ORDER),
                    buffer.getLong(at + 20, LinkWire.ORDER),
                    buffer.getLong(at + 28, LinkWire.ORDER));
                case LinkWire.TIME_REQUEST ->
                {
                    final int reply = peer.outbound.reserve(LinkWire.TIME_REPLY_LENGTH);
                    if (reply >= 0)
                    {
                        LinkWire.timeReply(peer.outbound.buffer(), reply, buffer.getLong(at + 4, LinkWire.ORDER), config.clock.nanoTime());
                    }
                }
                default ->
                {
                    // HEARTBEAT: being heard is all it says; unknown types are skipped
                }
            }
        }

        private void onCommand(final EdgePeer peer, final DirectBuffer buffer, final int at, final int length)
        {
            final long correlationId = buffer.getLong(at + LinkWire.COMMAND_CORRELATION, LinkWire.ORDER);
            final int recordLength = length - LinkWire.COMMAND_RECORD;
            if (recordLength > CommandCodec.MAX_RECORD_LENGTH || recordLength < CommandCodec.HEADER_LENGTH)
            {
                refuseMalformed(peer, correlationId);
                return;
            }
            buffer.getBytes(at + LinkWire.COMMAND_RECORD, codec.array(), 0, recordLength);
            if (!codec.decode(recordLength, command) ||
                !(command.type == CommandType.PURCHASE || command.type == CommandType.PAY || command.type == CommandType.CANCEL))
            {
                refuseMalformed(peer, correlationId);
                return;
            }
            commandsReceived.increment();
            handler.onCommand(peer.edgeId, correlationId, command);
        }

        private void refuseMalformed(final EdgePeer peer, final long correlationId)
        {
            commandsMalformed.increment();
            final int reply = peer.outbound.reserve(LinkWire.OUTCOME_LENGTH);
            if (reply >= 0)
            {
                LinkWire.outcome(peer.outbound.buffer(), reply, correlationId, invalid);
            }
        }

        private void onHello(final EdgePeer peer, final DirectBuffer buffer, final int at, final int length)
        {
            final int endpointLength = buffer.getByte(at + LinkWire.HELLO_ENDPOINT_LENGTH) & 0xff;
            if (length != LinkWire.HELLO_ENDPOINT + endpointLength)
            {
                hellosRejected.increment();
                return;
            }
            final int edgeId = buffer.getInt(at + LinkWire.HELLO_EDGE_ID, LinkWire.ORDER);
            final long edgeNonce = buffer.getLong(at + LinkWire.HELLO_EDGE_NONCE, LinkWire.ORDER);
            final long challenge = buffer.getLong(at + LinkWire.HELLO_CHALLENGE, LinkWire.ORDER);
            final long timestamp = buffer.getLong(at + LinkWire.HELLO_TIMESTAMP, LinkWire.ORDER);
            final byte[] endpointAscii = new byte[endpointLength];
            buffer.getBytes(at + LinkWire.HELLO_ENDPOINT, endpointAscii);
            buffer.getBytes(at + LinkWire.HELLO_MAC, macBytes);
            final long nowMillis = TimeUnit.NANOSECONDS.toMillis(config.clock.nanoTime());
            if (edgeId <= 0 || Math.abs(nowMillis - timestamp) > config.helloMaxSkewMillis ||
                !LinkAuth.matches(auth.helloMac(edgeId, edgeNonce, challenge, timestamp, endpointAscii), macBytes))
            {
                hellosRejected.increment();
                return;
            }
            if (challenge == 0)
            {
                if (peer.authenticated)
                {
                    return;
                }
                final LinkEndpoint announced;
                try
                {
                    announced = LinkEndpoint.parse(new String(endpointAscii, StandardCharsets.US_ASCII));
                }
                catch (final IllegalArgumentException ex)
                {
                    hellosRejected.increment();
                    return;
                }
                if (peer.challenge == 0 || peer.edgeNonce != edgeNonce)
                {
                    peer.challenge = auth.nonce();
                    peer.edgeNonce = edgeNonce;
                }
                peer.edgeId = edgeId;
                if (peer.publication == null || !announced.equals(peer.endpoint))
                {
                    CloseHelper.quietClose(peer.publication);
                    peer.endpoint = announced;
                    peer.publication = aeron.addExclusivePublication(
                        announced.publicationChannel(config.termLength, config.mtu), CORE_TO_EDGE_STREAM);
                    if (peer.outbound == null)
                    {
                        peer.outbound = new Outbound(config.edgeBufferCapacity);
                    }
                    peer.outbound.clear();
                }
                final int reply = peer.outbound.reserve(LinkWire.CHALLENGE_LENGTH);
                if (reply >= 0)
                {
                    LinkWire.challenge(peer.outbound.buffer(), reply, edgeNonce, peer.challenge);
                }
                return;
            }
            if (peer.challenge == 0 || challenge != peer.challenge || edgeNonce != peer.edgeNonce || edgeId != peer.edgeId)
            {
                hellosRejected.increment();
                return;
            }
            if (!peer.authenticated)
            {
                final EdgePeer previous = byEdge.get(edgeId);
                if (previous != null)
                {
                    remove(previous);
                }
                peer.authenticated = true;
                byEdge.put(edgeId, peer);
                joinedEdges = joinedEdges + 1;
                handler.onEdgeJoined(edgeId, peer.endpoint);
                viewsDue = true;
            }
            final int reply = peer.outbound.reserve(LinkWire.WELCOME_LENGTH);
            if (reply >= 0)
            {
                LinkWire.welcome(peer.outbound.buffer(), reply, edgeId, instanceId,
                    auth.welcomeMac(edgeId, edgeNonce, peer.challenge, instanceId));
                // At once, not at the next round: an edge with several cores chooses by the standing.
                readStanding();
                heartbeat(peer);
            }
        }

        private void onImageGone(final Image image)
        {
            final EdgePeer peer = bySession.get(image.sessionId());
            if (peer != null)
            {
                remove(peer);
            }
        }

        private void remove(final EdgePeer peer)
        {
            bySession.remove(peer.sessionId);
            peers.remove(peer);
            peer.close();
            if (peer.authenticated && byEdge.get(peer.edgeId) == peer)
            {
                byEdge.remove(peer.edgeId);
                joinedEdges = joinedEdges - 1;
                try
                {
                    handler.onEdgeLeft(peer.edgeId);
                }
                catch (final RuntimeException ex)
                {
                    config.errorHandler.onError(ex);
                }
            }
        }

        @Override
        public void onClose()
        {
            for (final EdgePeer peer : peers)
            {
                peer.close();
            }
            CloseHelper.quietClose(subscription);
            CloseHelper.quietClose(aeron);
        }
    }
}
