package io.flashsale.http.link;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.http.admission.AdmissionController;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.link.LinkHandler;
import io.flashsale.journal.link.LinkServer;

import org.agrona.collections.Int2ObjectHashMap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the core does with its edges' messages: each command goes onto the local ring as a copy
 * (stamped with the core's clock) with this object as its reply listener, the edge's id as the
 * attachment (boxed once per edge id and reused, so nothing is allocated per command) and the correlation id as the event's
 * reply tag; the reply goes back to that edge with {@link LinkServer#sendOutcome}. A full or
 * closed ring is answered at once (BUSY, SHUTTING_DOWN); a ring batch that answered edges asks for
 * an early push of the views, so a sale sold out through one edge is soon sold out at every edge.
 * Reports feed the admission controller.
 *
 * <p>{@link #onCommand}, {@link #onReport}, {@link #onEdgeJoined}, {@link #onEdgeLeft}: the link
 * server's agent thread. {@link #onReply}, {@link #onBatchEnd}: the ring's reply thread.
 */
final class EdgeCommands implements LinkHandler, ReplyListener
{
    private static final System.Logger LOG = System.getLogger(EdgeCommands.class.getName());

    private final CommandPipeline pipeline;
    private final AdmissionController admission;
    /** The answer to a command the ring refused; the agent thread's own. */
    private final CommandEvent refusal = new CommandEvent();
    private final AtomicLong refused = new AtomicLong();
    /** Each edge id boxed once, for the ring event's attachment. Agent thread only. */
    private final Int2ObjectHashMap<Integer> boxedIds = new Int2ObjectHashMap<>();
    /** The core front's write gates (journal full, standby, stalled), asked before each state change. */
    private final Supplier<Outcome> writeRefusal;
    private volatile LinkServer server;

    EdgeCommands(final CommandPipeline pipeline, final AdmissionController admission, final Supplier<Outcome> writeRefusal)
    {
        this.pipeline = pipeline;
        this.admission = admission;
        this.writeRefusal = writeRefusal;
    }

    /** Set once, right after the server is launched (edges need a handshake before any command). */
    void server(final LinkServer server)
    {
        this.server = server;
    }

    /** Edge commands the ring refused at once (full or closed). Any thread. */
    long refused()
    {
        return refused.get();
    }

    @Override
    public void onCommand(final int edgeId, final long correlationId, final CommandEvent command)
    {
        Integer boxed = boxedIds.get(edgeId);
        if (boxed == null)
        {
            boxed = edgeId;
            boxedIds.put(edgeId, boxed);
        }
        // An edge's command passes the same gates as one from this core's own front.
        final Outcome refusedHere = command.type == CommandType.QUERY_ORDER ? null : writeRefusal.get();
        final Outcome published = refusedHere != null ? refusedHere : pipeline.publishCopy(command, correlationId, this, boxed);
        if (published == Outcome.PENDING && command.type == CommandType.PURCHASE)
        {
            // It won the edge's draw: the admin view counts it as admitted there.
            admission.onEdgeAdmitted(edgeId, command.saleId);
        }
        if (published != Outcome.PENDING)
        {
            refused.incrementAndGet();
            refusal.clearResult();
            refusal.outcome = published;
            refusal.resultSaleId = command.saleId;
            refusal.resultOrderId = command.orderId;
            refusal.resultUserId = command.userId;
            send(edgeId, correlationId, refusal);
        }
    }

    @Override
    public void onReply(final CommandEvent event)
    {
        send((Integer)event.attachment, event.replyTag, event);
    }

    /** The end of a ring batch that answered edges' commands: their views changed, push them early. */
    @Override
    public void onBatchEnd()
    {
        final LinkServer link = server;
        if (link != null)
        {
            link.viewsChanged();
        }
    }

    private void send(final int edgeId, final long correlationId, final CommandEvent result)
    {
        final LinkServer link = server;
        // A full outbox is counted by the server; the edge times the command out as unknown.
        if (link != null)
        {
            link.sendOutcome(edgeId, correlationId, result);
        }
    }

    @Override
    public void onReport(final int edgeId, final long saleId, final long attempts, final long onlineShoppers, final long windowMillis)
    {
        // Only sales this core has: an id from a report never sizes anything by itself.
        if (pipeline.views().get(saleId) != null && admission.onReport(edgeId, saleId, attempts, onlineShoppers, windowMillis))
        {
            // Demand moved: the new p goes to every edge now, not at the next 50 ms push.
            onBatchEnd();
        }
    }

    @Override
    public void onEdgeJoined(final int edgeId, final LinkEndpoint endpoint)
    {
        LOG.log(System.Logger.Level.INFO, "edge " + edgeId + " joined from " + endpoint);
    }

    @Override
    public void onEdgeLeft(final int edgeId)
    {
        // Replies still in the ring hold their own reference to the boxed id.
        boxedIds.remove(edgeId);
        LOG.log(System.Logger.Level.INFO, "edge " + edgeId + " left");
        admission.onEdgeLeft(edgeId);
    }
}
