package io.flashsale.http.edge;

import io.flashsale.journal.link.AdmissionListener;
import io.flashsale.journal.link.CoreStanding;
import io.flashsale.journal.link.DemandReporter;
import io.flashsale.journal.link.LinkClient;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.link.StandingListener;
import org.agrona.CloseHelper;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The cores an edge is given, one {@link LinkClient} each, and which of them it follows: the one
 * {@link CoreChoice} picks (the primary of the highest epoch, heard). Commands go to that core; its
 * views, clock and admission p are the edge's; the edge's demand reports go to it alone. Every other
 * core's p is dropped, so a standby's (or an old primary's) figures never steer the edge. The
 * choice is made afresh on each question, so a promotion is followed within a heartbeat (50 ms)
 * of the new primary saying so, without restarting the edge; a switch is logged once.
 *
 * <p>Any thread, allocation-free (a switch's log line aside). {@link #launch} once, from the thread
 * that starts the edge.
 */
final class EdgeCores implements CoreChoice.Cores, AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(EdgeCores.class.getName());

    /** Makes core {@code index}'s link client, wired to the given tap (its admission, reports and standing). */
    @FunctionalInterface
    interface ClientFactory
    {
        LinkClient launch(int index, Tap tap);
    }

    private final List<LinkEndpoint> endpoints;
    private final LinkClient[] clients;
    private final CoreChoice choice = new CoreChoice();
    private final EdgeAdmission admission;
    /** The core chosen at the last question, or NONE. */
    private final AtomicInteger chosen = new AtomicInteger(CoreChoice.NONE);
    /** The last core ever chosen: whose views and clock the edge shows while none is (0 before any). */
    private volatile int lastChosen;
    private volatile boolean everChosen;
    private final AtomicLong switches = new AtomicLong();

    EdgeCores(final List<LinkEndpoint> endpoints, final EdgeAdmission admission)
    {
        this.endpoints = List.copyOf(endpoints);
        this.clients = new LinkClient[endpoints.size()];
        this.admission = admission;
    }

    /** Launches one link client per core; on a failure the ones launched are closed and it rethrows. */
    void launch(final ClientFactory factory)
    {
        try
        {
            for (int i = 0; i < clients.length; i++)
            {
                clients[i] = factory.launch(i, new Tap(i));
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    @Override
    public int count()
    {
        return clients.length;
    }

    @Override
    public boolean alive(final int core)
    {
        return clients[core].isCoreAvailable();
    }

    @Override
    public long standing(final int core)
    {
        return clients[core].coreStanding();
    }

    /** The core that takes commands now, or {@link CoreChoice#NONE}. */
    int chosen()
    {
        final int previous = chosen.get();
        final int now = choice.choose(this, previous);
        if (now != previous && chosen.compareAndSet(previous, now))
        {
            switched(previous, now);
        }
        return now;
    }

    private void switched(final int from, final int to)
    {
        if (to == CoreChoice.NONE)
        {
            LOG.log(System.Logger.Level.WARNING, "no core is the primary of the highest epoch (" + choice.highestEpoch() +
                ") and heard: answering 503 core-unavailable; cores: " + describe());
            return;
        }
        if (everChosen && to != lastChosen)
        {
            switches.incrementAndGet();
        }
        lastChosen = to;
        everChosen = true;
        LOG.log(System.Logger.Level.WARNING, "following core " + endpoints.get(to) + ", primary of epoch " +
            CoreStanding.epoch(clients[to].coreStanding()) + (from == CoreChoice.NONE ? "" : " (was " + endpoints.get(from) + ")"));
    }

    /** The chosen core's client, for a command; null when none may take one. */
    LinkClient commandClient()
    {
        final int core = chosen();
        return core == CoreChoice.NONE ? null : clients[core];
    }

    /** The chosen core's client, else the last one chosen (whose views and clock are the freshest the edge has). */
    LinkClient viewClient()
    {
        final int core = chosen();
        return clients[core == CoreChoice.NONE ? lastChosen : core];
    }

    /** The highest epoch any core has said; -1 before any. */
    long highestEpoch()
    {
        return choice.highestEpoch();
    }

    /** Times the edge moved its commands from one core to another. */
    long switches()
    {
        return switches.get();
    }

    /** Cores heard now. */
    int alive()
    {
        int alive = 0;
        for (final LinkClient client : clients)
        {
            alive += client.isCoreAvailable() ? 1 : 0;
        }
        return alive;
    }

    /** A counter summed over every core's client. */
    long sum(final ToLongFunction<LinkClient> counter)
    {
        long sum = 0;
        for (final LinkClient client : clients)
        {
            sum += counter.applyAsLong(client);
        }
        return sum;
    }

    /** Each core's address and what it said, for logs and the not-ready detail. */
    String describe()
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < clients.length; i++)
        {
            final LinkClient client = clients[i];
            final long standing = client.coreStanding();
            out.append(i == 0 ? "" : ", ").append(endpoints.get(i)).append(' ');
            if (!client.isCoreAvailable())
            {
                out.append("not heard");
            }
            else
            {
                out.append(CoreStanding.roleName(CoreStanding.role(standing))).append(" of epoch ").append(CoreStanding.epoch(standing));
            }
        }
        return out.toString();
    }

    List<LinkEndpoint> endpoints()
    {
        return endpoints;
    }

    LinkClient client(final int core)
    {
        return clients[core];
    }

    @Override
    public void close()
    {
        for (final LinkClient client : clients)
        {
            CloseHelper.quietClose(client);
        }
    }

    /**
     * One core's link as the edge hears it: its p reaches the edge's draw, and the edge reports its
     * demand to it, only while it is the chosen core; every standing it says counts towards the
     * highest epoch. That core's link agent thread.
     */
    final class Tap implements AdmissionListener, DemandReporter, StandingListener
    {
        private final int index;

        private Tap(final int index)
        {
            this.index = index;
        }

        @Override
        public void onAdmission(final long saleId, final double probability)
        {
            if (chosen() == index)
            {
                admission.onAdmission(saleId, probability);
            }
        }

        @Override
        public void reportTo(final Sink sink)
        {
            if (chosen() == index)
            {
                admission.reportTo(sink);
            }
        }

        @Override
        public void onStanding(final byte role, final long epoch, final long journalSequence)
        {
            choice.heard(epoch);
            // Asked here too, so a switch is logged within a heartbeat even when no shopper asks.
            chosen();
        }
    }
}
