package io.flashsale.http.link;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.http.admission.AdmissionController;
import io.flashsale.http.config.ConfigException;
import io.flashsale.http.metrics.FrontMetrics;
import io.flashsale.http.replication.ReplicationRole;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.link.LinkServer;

import java.util.List;
import java.util.function.Supplier;

/**
 * The core's end of the link to its edges, wired in one place: a {@link LinkServer} bound to
 * {@code edges.link}, whose edges' commands go onto this core's ring ({@link EdgeCommands}) and
 * who get every sale's view and p pushed ({@link ViewPush}); its figures on /metrics.
 *
 * <pre>
 *   edges ──UDP──> LinkServer agent ──> EdgeCommands.onCommand ──> ring (publishCopy)
 *                                                   ring reply ──> EdgeCommands.onReply ──> sendOutcome ──> that edge
 *   LinkServer agent, every 50 ms ──> ViewPush ──> views + p ──> every edge
 *   LinkServer agent, every heartbeat ──> ReplicationStanding ──> role, epoch, sequence ──> every edge
 *   edge reports ──> AdmissionController.onReport
 * </pre>
 *
 * <p>Opened by the server's main thread once the ring runs, closed after the ring has drained.
 * An error on the link's agent is logged; an {@link Error} fails the core (fail-fast), as a ring
 * stage's would.
 */
public final class CoreLink implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(CoreLink.class.getName());

    private final LinkServer server;

    private CoreLink(final LinkServer server)
    {
        this.server = server;
    }

    /**
     * @param writeRefusal why this core takes no state-changing command right now (journal full, a
     *                     standby, replication stalled), or null: the same gates its own front applies
     * @param replication  this node's replication role as it is now (a promotion replaces it): what
     *                     every heartbeat says of this core's role and epoch
     * @throws ConfigException when the address cannot be bound
     */
    public static CoreLink open(
        final String address, final byte[] secret, final CommandPipeline pipeline, final AdmissionController admission,
        final Supplier<Outcome> writeRefusal, final Supplier<ReplicationRole> replication, final FrontMetrics metrics)
    {
        final LinkEndpoint endpoint = LinkEndpoint.parse(address);
        final EdgeCommands commands = new EdgeCommands(pipeline, admission, writeRefusal);
        final LinkServer server;
        try
        {
            server = LinkServer.launch(new LinkServer.Config()
                .endpoint(endpoint)
                .secret(secret)
                .viewSource(new ViewPush(pipeline, admission))
                .standing(new ReplicationStanding(replication))
                .errorHandler(failure -> {
                    LOG.log(System.Logger.Level.ERROR, "the edge link failed", failure);
                    if (failure instanceof Error)
                    {
                        pipeline.fail("the edge link", failure);
                    }
                }), commands);
        }
        catch (final RuntimeException ex)
        {
            throw new ConfigException(List.of("edges.link: cannot open the link on " + endpoint + ": " + ex.getMessage()));
        }
        commands.server(server);
        metrics.gauge("flashsale.link.edges.joined", "Edges joined to this core's link", server::joinedEdges);
        metrics.counter("flashsale.link.commands.received", "Commands received from joined edges", server::commandsReceived);
        metrics.counter("flashsale.link.commands.refused", "Commands from sessions that never proved the secret, ignored", server::commandsRefused);
        metrics.counter("flashsale.link.commands.malformed", "Commands from edges that did not decode (answered INVALID)", server::commandsMalformed);
        metrics.counter("flashsale.link.commands.busy", "Edge commands the ring refused at once (full or closing)", commands::refused);
        metrics.counter("flashsale.link.hellos.rejected", "Join attempts with a wrong secret, challenge or timestamp", server::hellosRejected);
        metrics.counter("flashsale.link.outcomes.dropped", "Outcomes for an edge that is gone or too far behind", server::outcomesDropped);
        metrics.counter("flashsale.link.outbox.full", "Sends refused because the link's outbox was full", server::outboxFull);
        LOG.log(System.Logger.Level.INFO, "edge link open on " + server.endpoint());
        return new CoreLink(server);
    }

    /** The bound address (the port resolved when it was 0). */
    public LinkEndpoint endpoint()
    {
        return server.endpoint();
    }

    @Override
    public void close()
    {
        server.close();
    }
}
