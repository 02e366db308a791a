package io.flashsale.bench.scenario;

import io.flashsale.bench.load.Answer;
import io.flashsale.bench.load.LoadRequest;
import io.flashsale.bench.load.Workload;

import java.util.SplittableRandom;

/**
 * One load loop's shoppers in a rush. Each fires at the start instant: fetch the purchase key,
 * purchase; on 503 / 429 wait Retry-After plus jitter and try again (up to the attempt limit), on
 * 425 (a hair early) try again shortly; told SOLD_OUT, maybe try once more later. A shopper holding
 * a reservation thinks, then pays, cancels or walks away (the payment window expires the order).
 *
 * <p>The request's tag carries the shopper's attempts at the current step (low 32 bits) and its
 * sold-out retries (high 32 bits). Loop thread only.
 */
final class RushWorkload implements Workload
{
    private static final long EARLY_PAUSE_NANOS = 20_000_000L;

    private final Crowd crowd;
    private final ShopRequests requests;
    private final RushOptions options;
    private final RushTally tally;
    private final SplittableRandom random;

    RushWorkload(final Crowd crowd, final ShopRequests requests, final RushOptions options, final RushTally tally, final long seed)
    {
        this.crowd = crowd;
        this.requests = requests;
        this.options = options;
        this.tally = tally;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public LoadRequest arrive(final long index)
    {
        return requests.key(crowd, (int)index, 0);
    }

    @Override
    public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps followUps)
    {
        final int shopper = (int)request.shopper;
        return switch (request.step)
        {
            case ShopRequests.KEY -> onKey(request, answer, followUps, shopper);
            case ShopRequests.PURCHASE -> onPurchase(request, answer, followUps, shopper);
            case ShopRequests.PAY -> onPay(answer, shopper);
            case ShopRequests.CANCEL -> onCancel(answer);
            default -> throw new IllegalStateException("not a rush step: " + request.step);
        };
    }

    private String onKey(final LoadRequest request, final Answer answer, final FollowUps followUps, final int shopper)
    {
        if (answer.status() == 200)
        {
            final String key = JsonPeek.stringField(answer.body(), "key");
            tally.keys++;
            followUps.after(0, requests.purchase(crowd, shopper, key, 0));
            return "200 key";
        }
        retryIfAsked(request, answer, followUps);
        return ShopRequests.label(answer, "key");
    }

    private String onPurchase(final LoadRequest request, final Answer answer, final FollowUps followUps, final int shopper)
    {
        if (answer.status() == 201)
        {
            tally.reserved++;
            tally.reservationNanos.addLong(System.nanoTime());
            tally.served.set(shopper);
            decide(shopper, JsonPeek.longField(answer.body(), "orderId", -1), followUps);
            return "201 RESERVED";
        }
        final String outcome = ShopRequests.outcome(answer);
        if (answer.status() == 410 && "SOLD_OUT".equals(outcome))
        {
            tally.soldOutAnswers++;
            tally.firstSoldOutNanos = Math.min(tally.firstSoldOutNanos, System.nanoTime());
            final int soldOutTries = (int)(request.tag >>> 32);
            if (soldOutTries < options.soldOutRetries())
            {
                tally.soldOutRetries++;
                followUps.after(options.soldOutPause().toNanos() + jitter(), again(request, (long)(soldOutTries + 1) << 32));
            }
            return "410 SOLD_OUT";
        }
        retryIfAsked(request, answer, followUps);
        return ShopRequests.label(answer, "RESERVED");
    }

    private void decide(final int shopper, final long orderId, final FollowUps followUps)
    {
        final double draw = random.nextDouble();
        final long think = options.think().isZero() ? 0 : random.nextLong(options.think().toNanos() + 1);
        if (orderId <= 0)
        {
            return; // a 201 without an order id: counted as reserved, nothing to pay; the books check will show it
        }
        if (draw < options.pay())
        {
            followUps.after(think, requests.pay(crowd, shopper, orderId));
        }
        else if (draw < options.pay() + options.cancel())
        {
            followUps.after(think, requests.cancel(crowd, shopper, orderId));
        }
        else
        {
            tally.walkedAway++;
        }
    }

    private String onPay(final Answer answer, final int shopper)
    {
        if (answer.status() == 200)
        {
            tally.paid++;
            tally.paidShoppers.set(shopper);
            return "200 PAID";
        }
        final String label = ShopRequests.label(answer, "PAID");
        if (label.equals("410 EXPIRED"))
        {
            tally.payExpired++;
        }
        return label;
    }

    private String onCancel(final Answer answer)
    {
        if (answer.status() == 200)
        {
            tally.cancelled++;
            return "200 CANCELLED";
        }
        final String label = ShopRequests.label(answer, "CANCELLED");
        if (label.equals("410 EXPIRED"))
        {
            tally.cancelExpired++;
        }
        return label;
    }

    /** 503 and 429 say when to come back; 425 means the shopper was a hair early. Anything else ends the shopper's try. */
    private void retryIfAsked(final LoadRequest request, final Answer answer, final FollowUps followUps)
    {
        final long pause;
        if (answer.status() == 503 || answer.status() == 429)
        {
            pause = Math.max(1, answer.retryAfterSeconds()) * 1_000_000_000L;
        }
        else if (answer.status() == 425)
        {
            pause = EARLY_PAUSE_NANOS;
        }
        else
        {
            return;
        }
        final int attempts = (int)request.tag + 1;
        if (attempts >= options.maxAttempts())
        {
            tally.gaveUp++;
            return;
        }
        tally.retries++;
        followUps.after(pause + jitter(), again(request, (request.tag & 0xFFFF_FFFF_0000_0000L) | attempts));
    }

    @Override
    public void onError(final LoadRequest request, final String error, final FollowUps followUps)
    {
        switch (request.step)
        {
            case ShopRequests.PURCHASE -> tally.purchaseUnknown++;
            case ShopRequests.PAY -> tally.payUnknown++;
            case ShopRequests.CANCEL -> tally.cancelUnknown++;
            default ->
            {
            }
        }
    }

    private long jitter()
    {
        final long max = options.retryJitter().toNanos();
        return max <= 0 ? 0 : random.nextLong(max + 1);
    }

    private static LoadRequest again(final LoadRequest request, final long tag)
    {
        return new LoadRequest(request.step, request.method, request.path, request.authorization, request.body, request.shopper, tag);
    }
}
