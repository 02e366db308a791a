package io.flashsale.bench.drill.overload;

import io.flashsale.bench.load.Answer;
import io.flashsale.bench.load.LoadRequest;
import io.flashsale.bench.load.Workload;
import io.flashsale.bench.scenario.Crowd;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Purchase attempts of one unit, arrival {@code i} by shopper {@code i mod crowd}. With follow-ups
 * on, a shopper who reserved then pays, cancels or walks away (the payment window expires the
 * order), so units keep coming back and the sale stays contested: the front must keep shedding
 * while the engine keeps selling. Every answer must be a real outcome: 2xx, 409, 410, 425, 429 or
 * 503, each a problem with an outcome when it is a refusal.
 *
 * <p>Loop thread only.
 */
final class OverloadWorkload implements Workload
{
    static final String PURCHASE = "purchase";
    static final String PAY = "pay";
    static final String CANCEL = "cancel";
    private static final long THINK_NANOS = 200_000_000L;

    private final Crowd crowd;
    private final String[] keys;
    private final String path;
    private final boolean followUps;
    private final double pay;
    private final double cancel;
    private final long startNanos;
    private final OverloadTally tally;
    private final SplittableRandom random;

    OverloadWorkload(final Crowd crowd, final String[] keys, final long saleId, final boolean followUps, final double pay,
        final double cancel, final long startNanos, final OverloadTally tally, final long seed)
    {
        this.crowd = crowd;
        this.keys = keys;
        this.path = "/api/sales/" + saleId + "/purchase";
        this.followUps = followUps;
        this.pay = pay;
        this.cancel = cancel;
        this.startNanos = startNanos;
        this.tally = tally;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public LoadRequest arrive(final long index)
    {
        final int shopper = (int)(index % crowd.size());
        final byte[] body = ("{\"qty\":1,\"key\":\"" + keys[shopper] + "\"}").getBytes(StandardCharsets.US_ASCII);
        return new LoadRequest(PURCHASE, HttpMethod.POST, path, crowd.authorization(shopper), body, shopper, 0);
    }

    @Override
    public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps next)
    {
        final long now = System.nanoTime();
        final int second = (int)Math.min(tally.answersPerSecond.length - 1, Math.max(0, (now - startNanos) / 1_000_000_000L));
        tally.answersPerSecond[second]++;
        final String label = label(answer);
        final int status = answer.status();
        if (status >= 500 && status != 503)
        {
            tally.serverErrors++;
            unexpected(request, answer);
        }
        else if (status >= 400 && status != 409 && status != 410 && status != 425 && status != 429 && status != 503)
        {
            tally.unexpected++;
            unexpected(request, answer);
        }
        if (!request.step.equals(PURCHASE))
        {
            return label;
        }
        final long latency = OverloadTally.micros(now - request.intendedNanos());
        tally.purchaseMicros.recordValue(latency);
        tally.purchaseWireMicros.recordValue(OverloadTally.micros(now - request.sentNanos()));
        if (status == 201)
        {
            tally.reserved++;
            tally.reservedMicros.recordValue(latency);
            if (followUps)
            {
                decide(request, answer, next);
            }
        }
        return label;
    }

    private void decide(final LoadRequest request, final Answer answer, final FollowUps next)
    {
        final double draw = random.nextDouble();
        if (draw >= pay + cancel)
        {
            return; // walks away: the order expires and its unit comes back
        }
        final long orderId = orderId(answer.body());
        if (orderId <= 0)
        {
            return;
        }
        final int shopper = (int)request.shopper;
        final LoadRequest follow = draw < pay
            ? new LoadRequest(PAY, HttpMethod.POST, "/api/orders/" + orderId + "/pay", crowd.authorization(shopper),
                ("{\"paymentRef\":\"overload-" + orderId + "\"}").getBytes(StandardCharsets.US_ASCII), shopper, orderId)
            : new LoadRequest(CANCEL, HttpMethod.POST, "/api/orders/" + orderId + "/cancel", crowd.authorization(shopper), null, shopper, orderId);
        next.after(random.nextLong(THINK_NANOS), follow);
    }

    @Override
    public void onError(final LoadRequest request, final String error, final FollowUps next)
    {
        tally.errors++;
        if (request.step.equals(PURCHASE))
        {
            tally.unansweredPurchases++;
        }
    }

    private void unexpected(final LoadRequest request, final Answer answer)
    {
        if (tally.firstUnexpected == null)
        {
            tally.firstUnexpected = request.method + " " + request.path + " -> " + answer.status() + " " + answer.body();
        }
    }

    /** "201", or "503 NOT_ADMITTED" from the problem's outcome. */
    static String label(final Answer answer)
    {
        final String body = answer.body();
        final int at = body == null ? -1 : body.indexOf("\"outcome\":\"");
        if (answer.isSuccess() || at < 0)
        {
            return Integer.toString(answer.status());
        }
        final int from = at + "\"outcome\":\"".length();
        final int to = body.indexOf('"', from);
        return answer.status() + " " + (to < 0 ? "?" : body.substring(from, to));
    }

    private static long orderId(final String body)
    {
        final int at = body.indexOf("\"orderId\":");
        if (at < 0)
        {
            return -1;
        }
        long id = 0;
        for (int i = at + "\"orderId\":".length(); i < body.length() && Character.isDigit(body.charAt(i)); i++)
        {
            id = id * 10 + (body.charAt(i) - '0');
        }
        return id;
    }
}
