package io.flashsale.http.replication;

import io.flashsale.http.CoreAssembly;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.JsonOut;
import io.flashsale.http.reply.Problem;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * POST /admin/replication/promote, after admin auth: turns this standby into the primary of a new
 * epoch and answers the epoch, its first sequence and the replication address opened. 409
 * {@code not-standby} on any other node. The promotion waits for the ring and syncs a file, so it
 * runs on a worker thread, never the IO thread.
 */
public final class AdminPromote implements HttpHandler
{
    private static final System.Logger LOG = System.getLogger(AdminPromote.class.getName());

    private final FrontContext context;

    public AdminPromote(final FrontContext context)
    {
        this.context = context;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange)
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        final ReplicationRole role = context.replication();
        if (!role.isStandby())
        {
            context.responses().problem(request, Problem.NOT_STANDBY, "this node is not a standby; only a standby can be promoted");
            return;
        }
        exchange.dispatch(() -> {
            final CoreAssembly.Promotion promotion;
            try
            {
                promotion = role.promote();
            }
            catch (final RuntimeException ex)
            {
                LOG.log(System.Logger.Level.ERROR, "promotion failed", ex);
                final Problem problem = ex instanceof IllegalStateException && !context.replication().isStandby() ? Problem.NOT_STANDBY : Problem.PROMOTION_FAILED;
                context.responses().problem(request, problem, String.valueOf(ex.getMessage()), 1);
                return;
            }
            context.responses().json(request, 200, "OK", JsonOut.object(json -> {
                json.writeBooleanField("promoted", true);
                json.writeNumberField("epoch", promotion.epoch());
                json.writeNumberField("firstSequence", promotion.firstSequence());
                if (promotion.link() != null)
                {
                    json.writeStringField("replicationLink", promotion.link());
                }
            }));
        });
    }
}
