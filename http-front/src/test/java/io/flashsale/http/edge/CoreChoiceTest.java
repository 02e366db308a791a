package io.flashsale.http.edge;

import io.flashsale.journal.link.CoreStanding;
import org.junit.jupiter.api.Test;

import static io.flashsale.journal.link.CoreStanding.PRIMARY;
import static io.flashsale.journal.link.CoreStanding.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

/** The rule by which an edge follows the primary of the highest epoch among the cores it is given. */
class CoreChoiceTest
{
    /** Cores as a test sets them: what each last said, and whether it is heard. */
    private static final class Cores implements CoreChoice.Cores
    {
        final long[] standings;
        final boolean[] alive;

        Cores(final int count)
        {
            standings = new long[count];
            alive = new boolean[count];
        }

        Cores says(final int core, final byte role, final long epoch)
        {
            standings[core] = CoreStanding.pack(role, epoch);
            alive[core] = true;
            return this;
        }

        /** Silent: the link starts over and forgets what the core said. */
        Cores lost(final int core)
        {
            standings[core] = 0;
            alive[core] = false;
            return this;
        }

        @Override
        public int count()
        {
            return standings.length;
        }

        @Override
        public boolean alive(final int core)
        {
            return alive[core];
        }

        @Override
        public long standing(final int core)
        {
            return standings[core];
        }
    }

    private final CoreChoice choice = new CoreChoice();

    @Test
    void theHeardPrimaryIsChosenNeverTheStandby()
    {
        final Cores cores = new Cores(2).says(0, STANDBY, 1).says(1, PRIMARY, 1);
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(1);
    }

    @Test
    void withOnlyStandbysHeardNoCoreIsChosen()
    {
        final Cores cores = new Cores(2).says(0, STANDBY, 3).lost(1);
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(CoreChoice.NONE);
    }

    @Test
    void aPromotedStandbyIsFollowedAndTheOldPrimaryComingBackInTheOlderEpochIsIgnored()
    {
        final Cores cores = new Cores(2).says(0, PRIMARY, 1).says(1, STANDBY, 1);
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(0);

        cores.lost(0);
        assertThat(choice.choose(cores, 0)).isEqualTo(CoreChoice.NONE);

        cores.says(1, PRIMARY, 2);
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(1);

        // The old primary restarted with its old journal and says primary of epoch 1.
        cores.says(0, PRIMARY, 1);
        assertThat(choice.choose(cores, 1)).isEqualTo(1);

        // Even once the new primary is lost, the old epoch is never followed again.
        cores.lost(1);
        assertThat(choice.choose(cores, 1)).isEqualTo(CoreChoice.NONE);
        assertThat(choice.highestEpoch()).isEqualTo(2);
    }

    @Test
    void aStandbyOfANewerEpochMakesAnOlderPrimaryStale()
    {
        // A third node follows the primary of epoch 4: the core still saying primary of epoch 3 was superseded.
        final Cores cores = new Cores(2).says(0, PRIMARY, 3).says(1, STANDBY, 4);
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(CoreChoice.NONE);
    }

    @Test
    void anEpochHeardOnlyByTheListenerCountsToo()
    {
        choice.heard(5);
        final Cores cores = new Cores(1).says(0, PRIMARY, 4);
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(CoreChoice.NONE);
        choice.heard(3);
        assertThat(choice.highestEpoch()).isEqualTo(5);
    }

    @Test
    void aPrimaryThatIsNotHeardIsNotChosen()
    {
        final Cores cores = new Cores(2).says(0, PRIMARY, 2).says(1, STANDBY, 2);
        cores.alive[0] = false;
        assertThat(choice.choose(cores, 0)).isEqualTo(CoreChoice.NONE);
        cores.alive[0] = true;
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(0);
    }

    @Test
    void aCoreThatHasNotSaidItsStandingYetIsNotChosen()
    {
        final Cores cores = new Cores(1);
        cores.alive[0] = true;
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(CoreChoice.NONE);
    }

    @Test
    void twoPrimariesOfTheSameEpochKeepTheOneChosenBefore()
    {
        final Cores cores = new Cores(3).says(0, PRIMARY, 0).says(1, PRIMARY, 0).says(2, STANDBY, 0);
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(0);
        assertThat(choice.choose(cores, 1)).isEqualTo(1);
    }

    @Test
    void aSingleCoreWithoutReplicationIsFollowedAsToday()
    {
        final Cores cores = new Cores(1).says(0, PRIMARY, 0);
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(0);
        cores.lost(0);
        assertThat(choice.choose(cores, 0)).isEqualTo(CoreChoice.NONE);
        cores.says(0, PRIMARY, 0);
        assertThat(choice.choose(cores, CoreChoice.NONE)).isEqualTo(0);
    }
}
