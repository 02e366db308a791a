package io.flashsale.journal.link;

/**
 * What a core says of itself in every heartbeat to its edges: its role in replication (primary or
 * standby), the epoch it is in, and its journal's last sequence. An edge given several cores sends
 * its commands to the one that says primary in the highest epoch it has seen.
 *
 * <p>The link server's agent thread calls it once per heartbeat round, {@link #role()} first: a
 * promotion begins the new epoch before the node takes the primary's role, so role-then-epoch
 * never reads "primary" with the old epoch. Must not block or allocate.
 *
 * <p>The edge keeps a core's role and epoch packed in one long ({@link #pack}), so that a reader
 * on any thread sees the two from the same heartbeat.
 */
public interface CoreStanding
{
    /** Not heard yet (or the core was lost since). */
    byte UNKNOWN = 0;
    byte PRIMARY = 1;
    byte STANDBY = 2;

    /** A core without replication: the primary of epoch 0, its sequence unknown. */
    CoreStanding ALONE = new CoreStanding()
    {
        @Override
        public byte role()
        {
            return PRIMARY;
        }

        @Override
        public long epoch()
        {
            return 0;
        }

        @Override
        public long journalSequence()
        {
            return -1;
        }
    };

    /** {@link #PRIMARY} or {@link #STANDBY}. */
    byte role();

    /** The epoch (term) the core is in: a primary's own, a standby's primary's. */
    long epoch();

    /** The last sequence in the core's journal, -1 when it does not say. */
    long journalSequence();

    /** Role and epoch in one long (an epoch is never negative and far below 2^61). */
    static long pack(final byte role, final long epoch)
    {
        return epoch << 2 | (role & 3);
    }

    static byte role(final long packed)
    {
        return (byte)(packed & 3);
    }

    static long epoch(final long packed)
    {
        return packed >>> 2;
    }

    /** A role's name for logs and /health. */
    static String roleName(final byte role)
    {
        return switch (role)
        {
            case PRIMARY -> "primary";
            case STANDBY -> "standby";
            default -> "unknown";
        };
    }
}
