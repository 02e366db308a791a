package io.flashsale.journal.link;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.flashsale.journal.link.Links.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A core's heartbeats tell its edges its role, epoch and journal sequence, as they change, and a lost core's standing is forgotten. */
class LinkStandingTest
{
    /** A core's standing a test can change; read by the link's agent thread. */
    private static final class Standing implements CoreStanding
    {
        volatile byte role = STANDBY;
        volatile long epoch = 3;
        volatile long sequence = 42;

        @Override
        public byte role()
        {
            return role;
        }

        @Override
        public long epoch()
        {
            return epoch;
        }

        @Override
        public long journalSequence()
        {
            return sequence;
        }
    }

    @Test
    void theEdgeLearnsTheCoresRoleAndEpochOnJoiningAndFollowsAPromotion()
    {
        final Standing standing = new Standing();
        final List<String> heard = new CopyOnWriteArrayList<>();
        final LinkServer server = Links.launch(Links.server().standing(standing), new CoreRecorder(true));
        try (LinkClient edge = LinkClient.launch(Links.client(server, 7)
            .standing((role, epoch, sequence) -> heard.add(CoreStanding.roleName(role) + " " + epoch + " " + sequence)), new EdgeRecorder()))
        {
            Links.awaitJoined(edge);
            await().atMost(PATIENCE).until(() -> heard.contains("standby 3 42"));
            // The packed standing is read whole: role and epoch from the same heartbeat.
            final long said = edge.coreStanding();
            assertThat(CoreStanding.role(said)).isEqualTo(CoreStanding.STANDBY);
            assertThat(CoreStanding.epoch(said)).isEqualTo(3);
            assertThat(edge.coreJournalSequence()).isEqualTo(42);

            // A promotion begins the epoch, then takes the role (the order the core reads them in reverse).
            standing.epoch = 4;
            standing.sequence = 43;
            standing.role = CoreStanding.PRIMARY;
            await().atMost(PATIENCE).until(() -> edge.coreStanding() == CoreStanding.pack(CoreStanding.PRIMARY, 4));
            await().atMost(PATIENCE).until(() -> heard.contains("primary 4 43"));

            server.close();
            await().atMost(PATIENCE).pollInterval(5, TimeUnit.MILLISECONDS).until(() -> !edge.isCoreAvailable());
            await().atMost(PATIENCE).until(() -> CoreStanding.role(edge.coreStanding()) == CoreStanding.UNKNOWN);
            assertThat(edge.coreJournalSequence()).isEqualTo(-1);
        }
        finally
        {
            server.close();
        }
    }

    @Test
    void aCoreWithoutReplicationIsThePrimaryOfEpochZero()
    {
        final LinkServer server = Links.launch(Links.server(), new CoreRecorder(true));
        try (LinkClient edge = LinkClient.launch(Links.client(server, 8), new EdgeRecorder()))
        {
            Links.awaitJoined(edge);
            await().atMost(PATIENCE).until(() -> edge.coreStanding() == CoreStanding.pack(CoreStanding.PRIMARY, 0));
        }
        finally
        {
            server.close();
        }
    }

    @Test
    void packingKeepsRoleAndEpochApart()
    {
        final long packed = CoreStanding.pack(CoreStanding.STANDBY, (1L << 60) + 5);
        assertThat(CoreStanding.role(packed)).isEqualTo(CoreStanding.STANDBY);
        assertThat(CoreStanding.epoch(packed)).isEqualTo((1L << 60) + 5);
        assertThat(CoreStanding.role(0)).isEqualTo(CoreStanding.UNKNOWN);
    }
}
