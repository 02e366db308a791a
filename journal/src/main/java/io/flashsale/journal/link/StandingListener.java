package io.flashsale.journal.link;

/**
 * Told the standing of the core an edge's link is joined to, with each of the core's heartbeats
 * (about every 50 ms): an edge with several cores learns from it which epochs exist.
 *
 * <p>Called on the link client's agent thread only. Must not block or allocate.
 */
@FunctionalInterface
public interface StandingListener
{
    StandingListener IGNORE = (role, epoch, journalSequence) -> { };

    /**
     * @param role            {@link CoreStanding#PRIMARY} or {@link CoreStanding#STANDBY}
     * @param journalSequence the core's last journal sequence, -1 when it does not say
     */
    void onStanding(byte role, long epoch, long journalSequence);
}
