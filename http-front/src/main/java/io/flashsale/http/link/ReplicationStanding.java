package io.flashsale.http.link;

import io.flashsale.http.replication.ReplicationRole;
import io.flashsale.journal.link.CoreStanding;

import java.util.function.Supplier;

/**
 * This core's standing as its edges hear it in every heartbeat, read from its current
 * {@link ReplicationRole} (which a promotion replaces): a standby says standby, any other node
 * primary (without replication: the primary of epoch 0). Allocates nothing.
 *
 * <p>The link server's agent thread.
 */
final class ReplicationStanding implements CoreStanding
{
    private final Supplier<ReplicationRole> role;

    ReplicationStanding(final Supplier<ReplicationRole> role)
    {
        this.role = role;
    }

    @Override
    public byte role()
    {
        return role.get().isStandby() ? STANDBY : PRIMARY;
    }

    @Override
    public long epoch()
    {
        return role.get().epoch();
    }

    @Override
    public long journalSequence()
    {
        return role.get().journalSequence();
    }
}
