package io.flashsale.http.replication;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flashsale.http.metrics.FrontMetrics;
import io.flashsale.http.reply.Problem;
import io.flashsale.journal.replication.ReplicationPrimary;
import io.flashsale.journal.replication.ReplicationStandby;
import io.flashsale.journal.replication.Replicator;

import io.flashsale.http.CoreAssembly;

import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * What replication means to the front: whether writes are taken (a standby refuses them, a stalled
 * primary too), whether the node is ready, and what readiness and metrics say about the standby.
 * One of three: {@link #NONE}, a primary's, a standby's. Any thread.
 */
public final class ReplicationRole
{
    public static final ReplicationRole NONE = new ReplicationRole(null, null, null, () -> 0, new AutomaticPromotion(0), null);

    /** Promotes this node (a standby) and answers what it did; the server supplies it. */
    @FunctionalInterface
    public interface Promoter
    {
        CoreAssembly.Promotion promote();
    }

    private final ReplicationPrimary primary;
    private final ReplicationStandby standby;
    /** A promoted standby without a replication address of its own: it leads alone. */
    private final Replicator alone;
    private final LongSupplier epoch;
    private final AutomaticPromotion automatic;
    private final Promoter promoter;

    private ReplicationRole(final ReplicationPrimary primary, final ReplicationStandby standby, final Replicator alone,
        final LongSupplier epoch, final AutomaticPromotion automatic, final Promoter promoter)
    {
        this.primary = primary;
        this.standby = standby;
        this.alone = alone;
        this.epoch = epoch;
        this.automatic = automatic;
        this.promoter = promoter;
    }

    public static ReplicationRole primary(final ReplicationPrimary primary, final LongSupplier epoch, final AutomaticPromotion automatic)
    {
        return new ReplicationRole(primary, null, null, epoch, automatic, null);
    }

    public static ReplicationRole standby(final ReplicationStandby standby, final LongSupplier epoch, final AutomaticPromotion automatic)
    {
        return new ReplicationRole(null, standby, null, epoch, automatic, null);
    }

    public static ReplicationRole promotedAlone(final Replicator replicator, final LongSupplier epoch, final AutomaticPromotion automatic)
    {
        return new ReplicationRole(null, null, replicator, epoch, automatic, null);
    }

    /** The same role, promotable through {@code promoter}. */
    public ReplicationRole promotableBy(final Promoter promoter)
    {
        return new ReplicationRole(primary, standby, alone, epoch, automatic, promoter);
    }

    /**
     * Promotes this standby to primary of a new epoch.
     *
     * @throws IllegalStateException when this node is not a standby
     */
    public CoreAssembly.Promotion promote()
    {
        if (standby == null || promoter == null)
        {
            throw new IllegalStateException("this node is not a standby");
        }
        return promoter.promote();
    }

    public boolean isStandby()
    {
        return standby != null;
    }

    /** The epoch this node is in (a standby: its primary's); 0 without replication. */
    public long epoch()
    {
        return epoch.getAsLong();
    }

    /** The last sequence in this node's journal as replication knows it; -1 without replication. */
    public long journalSequence()
    {
        if (primary != null)
        {
            return primary.replicator().lastSequence();
        }
        if (standby != null)
        {
            return standby.journaledSequence();
        }
        return alone != null ? alone.lastSequence() : -1;
    }

    /** The problem a write is refused with before it reaches the ring, or null to take it. */
    public Problem writeRefusal()
    {
        if (standby != null)
        {
            return Problem.STANDBY;
        }
        return primary != null && primary.replicator().stalled() ? Problem.REPLICATION_STALLED : null;
    }

    /** Why this node is not ready on replication's account, or null. */
    public String notReadyReason()
    {
        if (primary != null && primary.replicator().stalled())
        {
            return "the standby was lost in sync mode: nothing is acknowledged until a standby is in sync again (replication.onStandbyLost=stall)";
        }
        return null;
    }

    /** Writes the {@code replication} member of the readiness document; nothing without replication. */
    public void describe(final JsonGenerator json) throws IOException
    {
        if (primary != null)
        {
            final Replicator replicator = primary.replicator();
            json.writeObjectFieldStart("replication");
            json.writeStringField("role", "primary");
            json.writeNumberField("epoch", epoch.getAsLong());
            json.writeStringField("mode", replicator.mode().name().toLowerCase());
            json.writeStringField("standby", replicator.standbyState());
            json.writeBooleanField("inSync", replicator.inSync());
            json.writeBooleanField("stalled", replicator.stalled());
            json.writeNumberField("journalSequence", replicator.lastSequence());
            json.writeNumberField("acknowledgedSequence", replicator.acknowledgedSequence());
            json.writeNumberField("lagCommands", replicator.lagCommands());
            json.writeNumberField("lagMillis", replicator.lagMillis());
            if (primary.stepDownReason() != null)
            {
                json.writeStringField("steppedDownBecause", primary.stepDownReason());
            }
            describePromotion(json);
            json.writeEndObject();
        }
        else if (standby != null)
        {
            json.writeObjectFieldStart("replication");
            json.writeStringField("role", "standby");
            json.writeNumberField("epoch", epoch.getAsLong());
            json.writeBooleanField("joined", standby.joined());
            json.writeNumberField("journalSequence", standby.journaledSequence());
            json.writeNumberField("primarySequence", standby.primaryLastSequence());
            json.writeNumberField("lagCommands", standby.lagCommands());
            if (standby.refusal() != null)
            {
                json.writeStringField("refusedBecause", standby.refusal());
            }
            json.writeBooleanField("inSync", standby.inSync());
            json.writeNumberField("failoverAfterMillis", automatic.afterMillis());
            if (standby.primaryStepDown() != null)
            {
                json.writeStringField("primarySteppedDownBecause", standby.primaryStepDown());
                // Automatic promotion off (or this standby not in sync): an operator decides.
                json.writeBooleanField("waitingToBePromoted", automatic.afterMillis() == 0 && standby.inSync());
            }
            if (standby.failoverDeclined() != null)
            {
                json.writeStringField("notPromotingBecause", standby.failoverDeclined());
            }
            if (automatic.failure() != null)
            {
                json.writeStringField("automaticPromotionFailed", automatic.failure());
            }
            json.writeEndObject();
        }
        else if (alone != null)
        {
            json.writeObjectFieldStart("replication");
            json.writeStringField("role", "primary");
            json.writeNumberField("epoch", epoch.getAsLong());
            json.writeStringField("standby", "none (no replication link open: none configured, or it is opening)");
            json.writeNumberField("journalSequence", alone.lastSequence());
            describePromotion(json);
            json.writeEndObject();
        }
    }

    private void describePromotion(final JsonGenerator json) throws IOException
    {
        final long at = automatic.promotedAtMillis();
        if (at > 0)
        {
            json.writeStringField("promotedAutomaticallyAt", java.time.Instant.ofEpochMilli(at).toString());
            json.writeStringField("promotedAutomaticallyBecause", automatic.reason());
        }
    }

    /** Registers the replication gauges, once, when the core is assembled. */
    public void registerGauges(final FrontMetrics metrics)
    {
        if (primary == null && standby == null && alone == null)
        {
            return;
        }
        // Registered once and read through the promotion: the same gauges before and after it.
        metrics.gauge("flashsale.replication.epoch", "The epoch (term) this node is in", epoch::getAsLong);
        metrics.gauge("flashsale.replication.promoted.automatically.at", "When this node promoted itself (epoch millis); 0 if it did not",
            automatic::promotedAtMillis);
        if (primary != null)
        {
            final Replicator replicator = primary.replicator();
            metrics.gauge("flashsale.replication.standby.in.sync", "1 when a standby is in sync (sync mode: replies wait for it)", () -> replicator.inSync() ? 1 : 0);
            metrics.gauge("flashsale.replication.stalled", "1 while a sync primary that lost its standby acknowledges nothing", () -> replicator.stalled() ? 1 : 0);
            metrics.gauge("flashsale.replication.lag.commands", "Commands journaled here the standby has not acknowledged; -1 with no standby", replicator::lagCommands);
            metrics.gauge("flashsale.replication.lag.millis", "Timestamp of the last command here minus the standby's last acknowledged; -1 unknown", replicator::lagMillis);
            metrics.gauge("flashsale.replication.acknowledged.sequence", "The highest journal sequence the standby acknowledged", replicator::acknowledgedSequence);
        }
        else if (standby != null)
        {
            metrics.gauge("flashsale.replication.joined", "1 while this standby is joined to its primary", () -> standby.joined() ? 1 : 0);
            metrics.gauge("flashsale.replication.journal.sequence", "The last sequence this standby journaled (and acknowledged)", standby::journaledSequence);
            metrics.gauge("flashsale.replication.lag.commands", "Commands the primary journaled that this standby has not; -1 unknown", standby::lagCommands);
            metrics.gauge("flashsale.replication.in.sync.with.primary", "1 while this standby has every record its primary may have acknowledged", () -> standby.inSync() ? 1 : 0);
            metrics.gauge("flashsale.replication.primary.stepped.down", "1 once the primary said its ring failed (it leads no more)",
                () -> standby.primaryStepDown() != null ? 1 : 0);
        }
    }
}
