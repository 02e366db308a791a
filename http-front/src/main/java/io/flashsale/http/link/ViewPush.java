package io.flashsale.http.link;

import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.http.admission.Admission;
import io.flashsale.journal.link.LinkServer;

/**
 * Pushes every sale's view (one consistent cut of its counts) and the core's admission
 * probability to every edge, each view interval (50 ms) and when an edge joins. Allocates nothing.
 *
 * <p>The link server's agent thread only.
 */
final class ViewPush implements LinkServer.ViewSource
{
    private final CommandPipeline pipeline;
    private final Admission admission;
    private final SaleCounts counts = new SaleCounts();

    ViewPush(final CommandPipeline pipeline, final Admission admission)
    {
        this.pipeline = pipeline;
        this.admission = admission;
    }

    @Override
    public void broadcast(final LinkServer server)
    {
        final SaleViews views = pipeline.views();
        final int size = views.size();
        for (int id = 1; id <= size; id++)
        {
            final SaleView view = views.get(id);
            view.readCounts(counts);
            // A full outbox drops this push (counted by the server); the next one repairs it.
            if (server.broadcastView(view, counts))
            {
                server.broadcastAdmission(id, admission.probability(view));
            }
        }
    }
}
