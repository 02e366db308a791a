package io.flashsale.bench.scenario;

import io.flashsale.bench.load.Answer;
import io.flashsale.bench.load.LoadRequest;
import io.flashsale.bench.load.Workload;

/**
 * Arrival i is one purchase (qty 1, the shopper's own key) by shopper i mod crowd size, and
 * nothing follows it: the load of {@code purchase-throughput} and {@code sold-out-flood}. Counts
 * the reservations it was told of, and the purchases whose outcome it was not told (no answer, or
 * a 503 saying the outcome is not known). Loop thread only.
 */
final class PurchaseFlood implements Workload
{
    private final Crowd crowd;
    private final ShopRequests requests;
    long reserved;
    long unknown;

    PurchaseFlood(final Crowd crowd, final ShopRequests requests)
    {
        this.crowd = crowd;
        this.requests = requests;
    }

    @Override
    public LoadRequest arrive(final long index)
    {
        final int shopper = (int)(index % crowd.size());
        return requests.purchase(crowd, shopper, crowd.key(shopper), 0);
    }

    @Override
    public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps followUps)
    {
        if (answer.status() == 201)
        {
            reserved++;
            return "201 RESERVED";
        }
        if (answer.status() == 503 && io.flashsale.bench.edge.RetriedPurchases.outcomeNotKnown(ShopRequests.outcome(answer)))
        {
            // An edge lost its core with the purchase on the link (or nginx lost the edge): it may have reserved.
            unknown++;
        }
        return ShopRequests.label(answer, "ok");
    }

    @Override
    public void onError(final LoadRequest request, final String error, final FollowUps followUps)
    {
        unknown++;
    }
}
