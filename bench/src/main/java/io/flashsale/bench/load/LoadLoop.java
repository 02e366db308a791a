package io.flashsale.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One event-loop thread's share of a load run: its connections, its share of the arrivals (every
 * n-th), the follow-ups its workload schedules, and its stats. An arrival or follow-up that is due
 * while every connection is busy waits here; it still counts its latency from its intended time.
 *
 * <p>Everything but {@link #start} and {@link #done} runs on {@link #eventLoop} only.
 */
final class LoadLoop implements Workload.FollowUps
{
    private static final long WATCHDOG_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RECONNECT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MAX_CONNECT_FAILURES = 30;

    private final EventLoop eventLoop;
    private final Bootstrap bootstrap;
    private final LoadSettings settings;
    private final Workload workload;
    private final int loopIndex;
    private final int loopCount;
    private final int connectionsWanted;
    private final LoadStats stats = new LoadStats();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<LoadStats> done = new CompletableFuture<>();

    private final List<LoadConnection> open = new ArrayList<>();
    private final ArrayDeque<LoadConnection> idle = new ArrayDeque<>();
    private final PriorityQueue<LoadRequest> timers = new PriorityQueue<>(Comparator.comparingLong(LoadRequest::intendedNanos));

    private OpenLoopSchedule schedule;
    private long nextArrival;
    private long arrivalsEnd;
    private long startNanos;
    private long arrivalsStopNanos;
    private long hardDeadlineNanos;
    private long lastAnswerNanos;
    private int inFlight;
    private int connectFailures;
    private boolean started;
    private boolean stopping;
    private String abortReason;
    private ScheduledFuture<?> wakeUp;
    private long wakeUpAt = Long.MAX_VALUE;
    private ScheduledFuture<?> watchdog;

    LoadLoop(
        final EventLoop eventLoop,
        final Bootstrap bootstrap,
        final LoadSettings settings,
        final Workload workload,
        final int loopIndex,
        final int loopCount)
    {
        this.eventLoop = eventLoop;
        this.bootstrap = bootstrap;
        this.settings = settings;
        this.workload = workload;
        this.loopIndex = loopIndex;
        this.loopCount = loopCount;
        this.connectionsWanted = settings.connections() / loopCount + (loopIndex < settings.connections() % loopCount ? 1 : 0);
    }

    /** Opens this loop's connections; completes when all are up (or fails). Any thread. */
    CompletableFuture<Void> connect()
    {
        eventLoop.execute(() ->
        {
            for (int i = 0; i < connectionsWanted; i++)
            {
                openConnection();
            }
        });
        return ready;
    }

    /** Starts sending at {@code start} ({@link System#nanoTime()}). Any thread. */
    CompletableFuture<LoadStats> start(final long start)
    {
        eventLoop.execute(() -> begin(start));
        return done;
    }

    CompletableFuture<LoadStats> done()
    {
        return done;
    }

    private void begin(final long start)
    {
        startNanos = start;
        lastAnswerNanos = start;
        final long durationNanos = settings.duration().toNanos();
        arrivalsStopNanos = start + durationNanos;
        hardDeadlineNanos = start + durationNanos + settings.grace().toNanos();
        arrivalsEnd = settings.arrivals();
        nextArrival = loopIndex;
        schedule = switch (settings.pacing())
        {
            case RATE -> OpenLoopSchedule.atRate(start, settings.ratePerSecond());
            case BURST -> OpenLoopSchedule.burst(start);
            case CLOSED -> null;
        };
        started = true;
        watchdog = eventLoop.scheduleAtFixedRate(this::watch, WATCHDOG_NANOS, WATCHDOG_NANOS, TimeUnit.NANOSECONDS);
        wakeUpAt(start);
    }

    // ---- sending

    private void pump()
    {
        if (!started || done.isDone())
        {
            return;
        }
        final long now = System.nanoTime();
        if (!stopping && now >= hardDeadlineNanos)
        {
            stopAtDeadline();
        }
        if (!stopping)
        {
            LoadRequest next;
            while (!idle.isEmpty() && (next = nextDue(now)) != null)
            {
                final LoadConnection connection = idle.pop();
                next.sentNanos = now;
                stats.recordSendLag(now - next.intendedNanos);
                inFlight++;
                connection.send(next);
            }
        }
        if (finished())
        {
            finish();
            return;
        }
        if (!stopping && !idle.isEmpty())
        {
            wakeUpAt(nextDueNanos(now));
        }
    }

    private boolean arrivalsLeft(final long now)
    {
        if (nextArrival >= arrivalsEnd)
        {
            return false;
        }
        return schedule != null || now < arrivalsStopNanos;
    }

    private long nextArrivalNanos(final long now)
    {
        return schedule == null ? now : schedule.intendedNanos(nextArrival);
    }

    /** The earliest request due at or before {@code now}, arrivals and follow-ups in intended order. */
    private LoadRequest nextDue(final long now)
    {
        final long arrivalAt = arrivalsLeft(now) ? nextArrivalNanos(now) : Long.MAX_VALUE;
        final long timerAt = timers.isEmpty() ? Long.MAX_VALUE : timers.peek().intendedNanos;
        if (arrivalAt <= timerAt && arrivalAt <= now)
        {
            final LoadRequest request = workload.arrive(nextArrival);
            request.intendedNanos = arrivalAt;
            nextArrival += loopCount;
            return request;
        }
        if (timerAt <= now)
        {
            return timers.poll();
        }
        return null;
    }

    private long nextDueNanos(final long now)
    {
        final long arrivalAt = arrivalsLeft(now) ? nextArrivalNanos(now) : Long.MAX_VALUE;
        final long timerAt = timers.isEmpty() ? Long.MAX_VALUE : timers.peek().intendedNanos;
        return Math.min(arrivalAt, timerAt);
    }

    private void wakeUpAt(final long at)
    {
        if (at == Long.MAX_VALUE || (wakeUp != null && !wakeUp.isDone() && wakeUpAt <= at))
        {
            return;
        }
        if (wakeUp != null)
        {
            wakeUp.cancel(false);
        }
        wakeUpAt = at;
        wakeUp = eventLoop.schedule(this::pump, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void after(final long delayNanos, final LoadRequest request)
    {
        if (stopping)
        {
            stats.addUnsent(1);
            return;
        }
        request.intendedNanos = System.nanoTime() + Math.max(0, delayNanos);
        timers.add(request);
        if (!idle.isEmpty())
        {
            wakeUpAt(request.intendedNanos);
        }
    }

    // ---- answers and losses (from LoadConnection)

    void answered(final LoadConnection connection, final LoadRequest request, final Answer answer, final boolean reusable)
    {
        final long now = System.nanoTime();
        inFlight--;
        lastAnswerNanos = now;
        final String label = workload.onAnswer(request, answer, this);
        stats.step(request.step).record(now - request.intendedNanos, label);
        if (reusable)
        {
            idle.push(connection);
        }
        pump();
    }

    void lost(final LoadConnection connection, final LoadRequest request)
    {
        open.remove(connection);
        idle.remove(connection);
        if (request != null)
        {
            failed(request, "connection closed");
        }
        if (!done.isDone() && !stopping)
        {
            openConnection();
        }
        if (started)
        {
            pump();
        }
    }

    private void failed(final LoadRequest request, final String error)
    {
        final long now = System.nanoTime();
        inFlight--;
        lastAnswerNanos = now;
        stats.step(request.step).record(now - request.intendedNanos, "error: " + error);
        workload.onError(request, error, this);
    }

    void connected(final LoadConnection connection)
    {
        connectFailures = 0;
        open.add(connection);
        if (done.isDone() || stopping)
        {
            connection.close();
            return;
        }
        idle.push(connection);
        if (open.size() >= connectionsWanted)
        {
            ready.complete(null);
        }
        if (started)
        {
            pump();
        }
    }

    private void openConnection()
    {
        final String host = settings.host();
        bootstrap.clone(eventLoop)
            .handler(new LoadChannelInitializer(new LoadConnection(this, host + ":" + settings.port())))
            .connect(host, settings.port())
            .addListener(f ->
            {
                if (!f.isSuccess())
                {
                    connectFailed(f.cause());
                }
            });
    }

    private void connectFailed(final Throwable cause)
    {
        connectFailures++;
        if (!started)
        {
            ready.completeExceptionally(cause);
            return;
        }
        if (connectFailures >= MAX_CONNECT_FAILURES)
        {
            abortReason = "server unreachable: " + connectFailures + " connection attempts failed in a row (" + cause + ")";
            stopAtDeadline();
            if (finished())
            {
                finish();
            }
            return;
        }
        if (!stopping && !done.isDone())
        {
            eventLoop.schedule(this::openConnection, RECONNECT_PAUSE_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    // ---- deadline, timeouts, the end

    private void watch()
    {
        final long now = System.nanoTime();
        final long timeout = settings.timeout().toNanos();
        for (final LoadConnection connection : List.copyOf(open))
        {
            final LoadRequest request = connection.inFlight();
            if (request != null && now - request.sentNanos > timeout)
            {
                open.remove(connection);
                failed(connection.abandon(), "timeout");
            }
        }
        pump();
    }

    private void stopAtDeadline()
    {
        stopping = true;
        long due = timers.size();
        timers.clear();
        if (schedule != null)
        {
            while (nextArrival < arrivalsEnd)
            {
                due++;
                nextArrival += loopCount;
            }
        }
        stats.addUnsent(due);
    }

    private boolean finished()
    {
        if (inFlight > 0)
        {
            return false;
        }
        return stopping || (!arrivalsLeft(System.nanoTime()) && timers.isEmpty());
    }

    private void finish()
    {
        if (done.isDone())
        {
            return;
        }
        if (watchdog != null)
        {
            watchdog.cancel(false);
        }
        if (wakeUp != null)
        {
            wakeUp.cancel(false);
        }
        stopping = true;
        for (final LoadConnection connection : List.copyOf(open))
        {
            connection.close();
        }
        stats.span(startNanos, lastAnswerNanos);
        stats.abort(abortReason);
        done.complete(stats);
    }
}
