package io.flashsale.journal.replication;

import io.flashsale.journal.link.LinkEndpoint;

import java.nio.file.Path;

/** What either end of replication needs; plain fields with sane defaults. */
public final class ReplicationConfig
{
    /** The primary's address: the one it binds, the one a standby joins. */
    public LinkEndpoint primary;
    /** A standby's own address the primary sends to; null: the local address that routes to the primary, any free port. */
    public LinkEndpoint standby;
    public byte[] secret;
    public ReplicationMode mode = ReplicationMode.SYNC;
    public StandbyLost onStandbyLost = StandbyLost.STALL;
    /** A peer not heard from for this long is lost. */
    public long peerTimeoutMillis = 1_000;
    public long heartbeatMillis = 50;
    /**
     * A standby in sync promotes itself when its primary has been silent this long (or at once when
     * the primary steps down); 0: never by itself, only when told ({@code promote}).
     */
    public long failoverAfterMillis;
    /** Where the media driver's folder goes; null for /dev/shm. */
    public Path driverParent;
    public int termLength = 16 << 20;
    public int mtu = 1408;
    /** How far a JOIN's clock may be from the primary's. */
    public long joinMaxSkewMillis = 5 * 60_000;

    public ReplicationConfig primary(final LinkEndpoint endpoint)
    {
        this.primary = endpoint;
        return this;
    }

    public ReplicationConfig standby(final LinkEndpoint endpoint)
    {
        this.standby = endpoint;
        return this;
    }

    public ReplicationConfig secret(final byte[] secret)
    {
        this.secret = secret.clone();
        return this;
    }

    public ReplicationConfig mode(final ReplicationMode mode)
    {
        this.mode = mode;
        return this;
    }

    public ReplicationConfig onStandbyLost(final StandbyLost onStandbyLost)
    {
        this.onStandbyLost = onStandbyLost;
        return this;
    }

    public ReplicationConfig peerTimeoutMillis(final long millis)
    {
        this.peerTimeoutMillis = millis;
        return this;
    }

    public ReplicationConfig failoverAfterMillis(final long millis)
    {
        this.failoverAfterMillis = millis;
        return this;
    }

    public ReplicationConfig driverParent(final Path parent)
    {
        this.driverParent = parent;
        return this;
    }
}
