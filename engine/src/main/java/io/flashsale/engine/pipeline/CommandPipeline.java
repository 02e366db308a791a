package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.sale.SaleViews;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The ring and its stages, wired in one place:
 *
 * <pre>
 *   producers ──tryNext──> ring ──> journal stage ──> [replication stage] ─┐
 *                               └─> business logic ───────────────────────┴─> [ack gate] ──> reply stage ──> ReplyListener
 * </pre>
 *
 * The replication stage and the ack gate are there when a {@link ReplicationPort} is configured (a
 * primary with a standby): the stage sends each journaled command on, without waiting; the gate
 * holds each reply until the standby has acknowledged its command, on a thread of its own, so the
 * stages before it go on with the next batches meanwhile. In the {@link StageLayout#SERIAL} layout
 * journal, (replication,) logic and replies run on one thread per batch; with replication the gate
 * and the replies take a second thread.
 *
 * <p>Any thread may publish. Publishing never blocks: a full ring answers {@link Outcome#BUSY}
 * at once, a closing pipeline {@link Outcome#SHUTTING_DOWN}; an accepted command answers
 * {@link Outcome#PENDING} and its result arrives later at the listener, on the reply thread.
 * Every command accepted before {@link #close()} gets its reply.
 *
 * <p>Fail fast: anything a stage, the ticker or a helper ({@link #fail}) throws fails the whole
 * pipeline at once (see {@link StageFailures}). It refuses new commands, answers those in flight
 * with {@link Outcome#ENGINE_ERROR} or {@link Outcome#JOURNAL_FAILED}, and tells the
 * {@link PipelineFailureListener}, which ends the process. No stage thread dies and leaves
 * publishers waiting.
 */
public final class CommandPipeline implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(CommandPipeline.class.getName());
    private static final long CLAIM_BUSY = -1;
    private static final long CLAIM_CLOSED = -2;

    private final SaleEngine engine;
    private final PipelineConfig config;
    private final LongSupplier clock;
    private final Disruptor<CommandEvent> disruptor;
    private final RingBuffer<CommandEvent> ring;
    private final StageFailures failures;
    private final ReplyStage replyStage;
    /** The stage that answers: past it, a command is done. */
    private final EventHandler<CommandEvent> answeringStage;
    /** The stages that do the work (journal and engine), each timed: the slower one sets the ring's service rate. */
    private final ServiceMeter[] meters;
    private final LongAdder publishersInside = new LongAdder();
    private ScheduledExecutorService ticker;
    private volatile boolean accepting = true;
    private volatile boolean closed;

    private CommandPipeline(final SaleEngine engine, final BusinessStageFactory businessStages, final PipelineConfig config)
    {
        this.engine = engine;
        this.config = config;
        this.clock = config.clock;
        this.failures = new StageFailures(config.failures, () -> accepting = false);
        this.replyStage = new ReplyStage(failures);
        this.disruptor = new Disruptor<>(
            CommandEvent::new, config.ringSize, stageThreads(config.threadNamePrefix), ProducerType.MULTI, config.waitStrategy.create());
        // Before the stages are added: it applies to stages added after it.
        disruptor.setDefaultExceptionHandler(failures);
        final JournalStage journalStage = new JournalStage(config.journal, failures);
        final EventHandler<CommandEvent> businessStage = businessStages.create(failures);
        final ReplicationStage replicationStage = config.replication == ReplicationPort.NONE ? null :
            new ReplicationStage(config.replication, failures);
        if (config.stageLayout == StageLayout.SERIAL && replicationStage == null)
        {
            final SerialStage serial = new SerialStage(journalStage, businessStage, replyStage);
            serial.ring(disruptor.getRingBuffer());
            final ServiceMeter metered = new ServiceMeter(serial);
            disruptor.handleEventsWith(metered);
            answeringStage = metered;
            meters = new ServiceMeter[] {metered};
        }
        else if (config.stageLayout == StageLayout.SERIAL)
        {
            // Journal, send and apply on one thread; the replies wait for the standby on another,
            // so the work of the next batches overlaps the round trip.
            final EventHandler<CommandEvent> work = (command, sequence, endOfBatch) -> {
                journalStage.onEvent(command, sequence, endOfBatch);
                replicationStage.onEvent(command, sequence, endOfBatch);
                businessStage.onEvent(command, sequence, endOfBatch);
            };
            final ServiceMeter metered = new ServiceMeter(work);
            final AckGate gate = new AckGate(config.replication, failures, replyStage);
            disruptor.handleEventsWith(metered).then(gate);
            answeringStage = gate;
            meters = new ServiceMeter[] {metered};
        }
        else if (replicationStage == null)
        {
            final ServiceMeter journal = new ServiceMeter(journalStage);
            final ServiceMeter business = new ServiceMeter(businessStage);
            disruptor.handleEventsWith(journal, business).then(replyStage);
            answeringStage = replyStage;
            meters = new ServiceMeter[] {journal, business};
        }
        else
        {
            final ServiceMeter journal = new ServiceMeter(journalStage);
            final ServiceMeter business = new ServiceMeter(businessStage);
            final AckGate gate = new AckGate(config.replication, failures, replyStage);
            disruptor.handleEventsWith(journal, business);
            disruptor.after(journal).handleEventsWith(replicationStage);
            disruptor.after(replicationStage, business).handleEventsWith(gate);
            answeringStage = gate;
            meters = new ServiceMeter[] {journal, business};
        }
        this.ring = disruptor.start();
        this.ticker = config.tickIntervalMillis > 0 ? newTicker(config.tickIntervalMillis) : null;
    }

    /**
     * Starts the stage threads around an engine (fresh or recovered). From here on only the
     * business thread may touch the engine; other threads read {@link #views()}.
     */
    public static CommandPipeline start(final SaleEngine engine, final PipelineConfig config)
    {
        engine.publishViews();
        return new CommandPipeline(engine, failures -> new BusinessLogicStage(engine, config.snapshots, failures), config);
    }

    /**
     * The same ring, stages and publishing path with a business stage that does nothing: the
     * ceiling of the ring itself, the baseline benchmarks compare the engine against. Replies
     * carry {@link Outcome#PENDING}.
     */
    public static CommandPipeline startWithoutEngine(final PipelineConfig config)
    {
        return new CommandPipeline(new SaleEngine(), failures -> (command, sequence, endOfBatch) -> { }, config);
    }

    /** Builds the business stage once the pipeline's failure state exists. */
    @FunctionalInterface
    private interface BusinessStageFactory
    {
        EventHandler<CommandEvent> create(StageFailures failures);
    }

    /** The sales as last published by the business thread. Any thread. */
    public SaleViews views()
    {
        return engine.views();
    }

    /** Free slots in the ring right now. Any thread. */
    public long remainingCapacity()
    {
        return ring.remainingCapacity();
    }

    public int ringSize()
    {
        return ring.getBufferSize();
    }

    /**
     * The timing of the busiest working stage (the one alone in SERIAL; in PARALLEL whichever of
     * journal and engine has spent more time working): commands over busy time is how many commands
     * a second the ring can apply. Any thread; a performance figure, never state.
     */
    public ServiceMeter serviceMeter()
    {
        ServiceMeter busiest = meters[0];
        for (int i = 1; i < meters.length; i++)
        {
            if (meters[i].busyNanos() > busiest.busyNanos())
            {
                busiest = meters[i];
            }
        }
        return busiest;
    }

    /** False once shutdown has begun or the pipeline has failed. Any thread. */
    public boolean isAccepting()
    {
        return accepting;
    }

    /** True once a stage, the ticker or a helper has failed: the pipeline answers nothing but the failure. Any thread. */
    public boolean hasFailed()
    {
        return failures.failed();
    }

    /**
     * Fails the pipeline from outside the ring: a thread that serves it (the snapshot writer, its
     * scheduler, later the link's agents) threw what it cannot handle. Commands in flight are
     * answered {@link Outcome#ENGINE_ERROR}, new ones refused, the listener told. Any thread; never throws.
     */
    public void fail(final String where, final Throwable cause)
    {
        failures.fail(Outcome.ENGINE_ERROR, where, -1, cause);
    }

    // ---- publishing: any thread, never blocks

    public Outcome purchase(
        final long saleId, final long userId, final int qty, final long idempotencyKey,
        final ReplyListener listener, final Object attachment)
    {
        return purchase(saleId, userId, null, qty, idempotencyKey, listener, attachment);
    }

    /**
     * A purchase that names its shopper: {@code subject} is the shop's own id for the shopper (the
     * token's subject, which {@code userId} hashes). The journal records it so that followers (the
     * order feed) can say who bought each order, and the engine keeps the first one it sees for each
     * shopper (see {@link #inspectOrder}). Null for none; longer than
     * {@link CommandEvent#MAX_TEXT_BYTES} UTF-8 bytes is INVALID.
     */
    public Outcome purchase(
        final long saleId, final long userId, final CharSequence subject, final int qty, final long idempotencyKey,
        final ReplyListener listener, final Object attachment)
    {
        if (!fitsText(subject))
        {
            return Outcome.INVALID;
        }
        final long sequence = claim();
        if (sequence < 0)
        {
            return refusal(sequence);
        }
        final CommandEvent command = prepare(sequence, CommandType.PURCHASE, listener, attachment);
        command.saleId = saleId;
        command.userId = userId;
        command.qty = qty;
        command.idempotencyKey = idempotencyKey;
        command.setText(subject);
        commit(sequence);
        return Outcome.PENDING;
    }

    public Outcome pay(
        final long orderId, final long userId, final CharSequence paymentRef,
        final ReplyListener listener, final Object attachment)
    {
        if (!fitsText(paymentRef))
        {
            return Outcome.INVALID;
        }
        final long sequence = claim();
        if (sequence < 0)
        {
            return refusal(sequence);
        }
        final CommandEvent command = prepare(sequence, CommandType.PAY, listener, attachment);
        command.orderId = orderId;
        command.userId = userId;
        setText(sequence, command, paymentRef);
        commit(sequence);
        return Outcome.PENDING;
    }

    public Outcome cancel(final long orderId, final long userId, final ReplyListener listener, final Object attachment)
    {
        return orderCommand(CommandType.CANCEL, orderId, userId, listener, attachment);
    }

    /**
     * A standby's way in: publishes a command the primary journaled, with the primary's timestamp
     * and ring sequence, so that the journal stage here writes the same record (the same bytes)
     * and the engine here reaches the same state. Nothing is stamped or checked: the primary did that.
     */
    public Outcome replicate(final CommandEvent source, final long originRingSequence, final ReplyListener listener, final Object attachment)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return refusal(sequence);
        }
        final CommandEvent command = prepare(sequence, source.type, listener, attachment);
        command.copyInputFrom(source);
        command.ringSequence = originRingSequence;
        commit(sequence);
        return Outcome.PENDING;
    }

    /** Reads an order for its owner through the ring, so the answer is never stale. */
    public Outcome queryOrder(final long orderId, final long userId, final ReplyListener listener, final Object attachment)
    {
        return orderCommand(CommandType.QUERY_ORDER, orderId, userId, listener, attachment);
    }

    /**
     * Reads any order for an admin through the ring, without the owner check; the result names the
     * shopper ({@link CommandEvent#resultSubject}) and the reservation time.
     */
    public Outcome inspectOrder(final long orderId, final ReplyListener listener, final Object attachment)
    {
        return orderCommand(CommandType.INSPECT_ORDER, orderId, 0, listener, attachment);
    }

    public Outcome createSale(
        final String name, final long stock, final long startsAt, final long endsAt,
        final int perUserLimit, final long paymentWindowMillis,
        final ReplyListener listener, final Object attachment)
    {
        if (!fitsText(name))
        {
            return Outcome.INVALID;
        }
        final long sequence = claim();
        if (sequence < 0)
        {
            return refusal(sequence);
        }
        final CommandEvent command = prepare(sequence, CommandType.CREATE_SALE, listener, attachment);
        setText(sequence, command, name);
        command.stock = stock;
        command.startsAt = startsAt;
        command.endsAt = endsAt;
        command.perUserLimit = perUserLimit;
        command.paymentWindowMillis = paymentWindowMillis;
        commit(sequence);
        return Outcome.PENDING;
    }

    /**
     * Publishes a copy of a command that arrived already decoded (an edge's PURCHASE, PAY, CANCEL
     * or QUERY_ORDER over the link): its input fields are copied into the ring event and stamped
     * with this core's clock; {@code replyTag} comes back in the reply event.
     *
     * @return PENDING, or BUSY / SHUTTING_DOWN when nothing was published
     */
    public Outcome publishCopy(final CommandEvent input, final long replyTag, final ReplyListener listener, final Object attachment)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return refusal(sequence);
        }
        final CommandEvent command = prepare(sequence, input.type, listener, attachment);
        final long stamped = command.timestamp;
        command.copyInputFrom(input);
        command.timestamp = stamped;
        command.replyTag = replyTag;
        commit(sequence);
        return Outcome.PENDING;
    }

    public Outcome tick()
    {
        return simpleCommand(CommandType.TICK, null, null);
    }

    /** A TICK whose reply tells the caller that expiry up to the current time has been applied. */
    public Outcome tick(final ReplyListener listener, final Object attachment)
    {
        return simpleCommand(CommandType.TICK, listener, attachment);
    }

    /** Asks the business thread to hand its state to the snapshot port at this point of the ring. */
    public Outcome snapshot(final ReplyListener listener, final Object attachment)
    {
        return simpleCommand(CommandType.SNAPSHOT, listener, attachment);
    }

    private Outcome orderCommand(
        final CommandType type, final long orderId, final long userId, final ReplyListener listener, final Object attachment)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return refusal(sequence);
        }
        final CommandEvent command = prepare(sequence, type, listener, attachment);
        command.orderId = orderId;
        command.userId = userId;
        commit(sequence);
        return Outcome.PENDING;
    }

    private Outcome simpleCommand(final CommandType type, final ReplyListener listener, final Object attachment)
    {
        final long sequence = claim();
        if (sequence < 0)
        {
            return refusal(sequence);
        }
        prepare(sequence, type, listener, attachment);
        commit(sequence);
        return Outcome.PENDING;
    }

    /**
     * Claims a slot or says why not. The counter lets {@link #close()} wait for publishers that
     * passed the check before it closed, so no claimed slot is left behind unpublished.
     */
    private long claim()
    {
        publishersInside.increment();
        if (!accepting)
        {
            publishersInside.decrement();
            return CLAIM_CLOSED;
        }
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            publishersInside.decrement();
            return CLAIM_BUSY;
        }
    }

    private CommandEvent prepare(final long sequence, final CommandType type, final ReplyListener listener, final Object attachment)
    {
        final CommandEvent command = ring.get(sequence);
        command.clear();
        command.type = type;
        command.ringSequence = sequence;
        command.replyListener = listener;
        command.attachment = attachment;
        // Stamped between claim and publish: the ring order and the timestamps almost agree,
        // and the engine takes the largest timestamp seen, so time never runs backwards.
        try
        {
            command.timestamp = clock.getAsLong();
        }
        catch (final Throwable ex)
        {
            abandon(sequence, ex);
            throw ex;
        }
        return command;
    }

    private void setText(final long sequence, final CommandEvent command, final CharSequence text)
    {
        try
        {
            command.setText(text);
        }
        catch (final Throwable ex)
        {
            abandon(sequence, ex);
            throw ex;
        }
    }

    /**
     * Something threw between claim and publish. A claimed slot that is never published stalls
     * every stage for good, so it is published anyway, after the pipeline has failed: no stage
     * journals or applies it, and nobody is answered (the caller gets the exception).
     */
    private void abandon(final long sequence, final Throwable cause)
    {
        failures.fail(Outcome.ENGINE_ERROR, "a publisher", sequence, cause);
        final CommandEvent command = ring.get(sequence);
        command.replyListener = null;
        command.attachment = null;
        commit(sequence);
    }

    private void commit(final long sequence)
    {
        ring.publish(sequence);
        publishersInside.decrement();
    }

    private static Outcome refusal(final long claim)
    {
        return claim == CLAIM_BUSY ? Outcome.BUSY : Outcome.SHUTTING_DOWN;
    }

    private static boolean fitsText(final CharSequence text)
    {
        if (text == null || text.length() * 3 <= CommandEvent.MAX_TEXT_BYTES)
        {
            return true;
        }
        return text.length() <= CommandEvent.MAX_TEXT_BYTES &&
            text.toString().getBytes(StandardCharsets.UTF_8).length <= CommandEvent.MAX_TEXT_BYTES;
    }

    // ---- lifecycle

    /**
     * Starts the ticker of a pipeline started without one (a standby's, whose clock came as the
     * primary's TICK records, when it is promoted). Does nothing when it ticks already or is closed.
     */
    public synchronized void startTicker(final long intervalMillis)
    {
        if (ticker == null && !closed && intervalMillis > 0)
        {
            ticker = newTicker(intervalMillis);
        }
    }

    private ScheduledExecutorService newTicker(final long intervalMillis)
    {
        final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(runnable, config.threadNamePrefix + "-ticker"));
        // A task that throws is silently cancelled by the executor: expiry would stop without a word.
        executor.scheduleAtFixedRate(() ->
        {
            try
            {
                tick();
            }
            catch (final Throwable ex)
            {
                failures.fail(Outcome.ENGINE_ERROR, "ticker", -1, ex);
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return executor;
    }

    /**
     * Stops taking commands, lets every accepted one be journaled, applied and replied to, then
     * stops the stage threads. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        accepting = false;
        if (ticker != null)
        {
            ticker.shutdownNow();
        }
        while (publishersInside.sum() != 0)
        {
            Thread.onSpinWait();
        }
        if (!drained(config.shutdownTimeoutMillis))
        {
            LOG.log(System.Logger.Level.WARNING, "ring did not drain in " + config.shutdownTimeoutMillis + " ms; halting");
        }
        disruptor.halt();
    }

    /**
     * Waits until the reply stage has passed the last published command. Disruptor's own
     * shutdown(timeout) is not enough: its backlog check skips stages whose threads are not
     * running yet, so a close() soon after start() halted them with accepted commands unanswered.
     */
    private boolean drained(final long timeoutMillis)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (disruptor.getSequenceValueFor(answeringStage) < ring.getCursor())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            // Yield rather than spin: the stages we wait for may need this core.
            Thread.yield();
        }
        return true;
    }

    private static ThreadFactory stageThreads(final String prefix)
    {
        final AtomicInteger counter = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + "-stage-" + counter.incrementAndGet());
    }

    private static Thread daemon(final Runnable runnable, final String name)
    {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
