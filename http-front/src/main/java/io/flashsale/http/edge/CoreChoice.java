package io.flashsale.http.edge;

import io.flashsale.journal.link.CoreStanding;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The rule by which an edge given several cores picks the one its commands go to: a core that is
 * heard (alive), says it is the primary, and is in the highest epoch any of the cores has ever
 * said. An old primary that comes back claiming an older epoch is never chosen again, whatever it
 * says, and neither is a standby; with no such core there is none (503 core-unavailable). Should
 * two cores both claim the highest epoch as primary (never, with promotion by epoch), the one
 * chosen before stays chosen, else the first given.
 *
 * <p>Any thread: {@link #heard} from the link agents, {@link #choose} from IO threads and agents;
 * allocates nothing.
 */
final class CoreChoice
{
    /** No core may take commands now. */
    static final int NONE = -1;

    /** What the rule reads of the cores; volatile reads, no allocation. */
    interface Cores
    {
        int count();

        /** Heard within the silence bound (joined, and a heartbeat came recently). */
        boolean alive(int core);

        /** Role and epoch as the core's last heartbeat said ({@link CoreStanding#pack}); role UNKNOWN before that. */
        long standing(int core);
    }

    private final AtomicLong highestEpoch = new AtomicLong(-1);

    /** Takes in an epoch a core said (as primary or standby); the highest ever heard only grows. */
    void heard(final long epoch)
    {
        long highest = highestEpoch.get();
        while (epoch > highest && !highestEpoch.compareAndSet(highest, epoch))
        {
            highest = highestEpoch.get();
        }
    }

    /** The highest epoch any core has said, -1 before any has. */
    long highestEpoch()
    {
        return highestEpoch.get();
    }

    /**
     * @param previous the core chosen last time (kept on a tie), or {@link #NONE}
     * @return the index of the core that takes commands now, or {@link #NONE}
     */
    int choose(final Cores cores, final int previous)
    {
        final int count = cores.count();
        // What a core says now counts even before its listener has told us (the two run on different threads).
        for (int core = 0; core < count; core++)
        {
            final long standing = cores.standing(core);
            if (CoreStanding.role(standing) != CoreStanding.UNKNOWN)
            {
                heard(CoreStanding.epoch(standing));
            }
        }
        final long highest = highestEpoch.get();
        int chosen = NONE;
        for (int core = 0; core < count; core++)
        {
            final long standing = cores.standing(core);
            if (CoreStanding.role(standing) == CoreStanding.PRIMARY && CoreStanding.epoch(standing) == highest && cores.alive(core))
            {
                if (core == previous)
                {
                    return core;
                }
                if (chosen == NONE)
                {
                    chosen = core;
                }
            }
        }
        return chosen;
    }
}
