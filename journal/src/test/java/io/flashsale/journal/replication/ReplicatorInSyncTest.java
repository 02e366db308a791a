package io.flashsale.journal.replication;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the primary says of a standby that has just been handed off: live (replies wait for it),
 * but not in sync until it acknowledged the catch-up it was sent. A readiness that said "in sync"
 * earlier let an operator (or a drill) take the new node for a full copy while its journal still
 * lacked hundreds of acknowledged records.
 */
class ReplicatorInSyncTest
{
    @Test
    void aStandbyHandedOffIsInSyncOnlyOnceItAcknowledgedTheCatchUp()
    {
        final Replicator replicator = new Replicator(ReplicationMode.SYNC, 588, () ->
        {
            throw new AssertionError("nothing is left to read at a quiet hand-off");
        });
        // Joined with 372 records; the agent streamed 373..588 and handed off.
        final StandbySession standby = new StandbySession(1, 1, "10.0.0.2:4000", null, 373, System.nanoTime());
        standby.handoffAt = 588;
        standby.state.set(StandbySession.HANDOFF);
        replicator.session = standby;

        replicator.handOffIfQuiet(standby);

        assertThat(standby.state()).isEqualTo(StandbySession.LIVE);
        assertThat(replicator.inSync()).isFalse();
        assertThat(replicator.standbyState()).isEqualTo("handing-off");

        standby.acked = 500;
        assertThat(replicator.inSync()).isFalse();

        standby.acked = 588;
        assertThat(replicator.inSync()).isTrue();
        assertThat(replicator.standbyState()).isEqualTo("in-sync");
    }

    @Test
    void aStandbyThatJoinedUpToDateIsInSyncAtOnce()
    {
        final Replicator replicator = new Replicator(ReplicationMode.SYNC, 40, () ->
        {
            throw new AssertionError("nothing to read");
        });
        final StandbySession standby = new StandbySession(1, 1, "10.0.0.2:4000", null, 41, System.nanoTime());
        standby.handoffAt = 40;
        standby.state.set(StandbySession.HANDOFF);
        replicator.session = standby;

        replicator.handOffIfQuiet(standby);

        assertThat(replicator.inSync()).isTrue();
    }
}
