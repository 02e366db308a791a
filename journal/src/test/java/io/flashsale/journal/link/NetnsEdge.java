package io.flashsale.journal.link;

import io.flashsale.engine.command.CommandEvent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An edge for {@link LinkAcrossNamespacesTest}, run in its own network namespace: joins the core
 * at {@code args[0]} from its own address {@code args[1]}, sends {@code args[2]} purchases, checks
 * that each outcome is the answer to its own command, waits for the core's sale view and clock,
 * prints "EDGE OK ..." and exits 0, or prints what went wrong and exits 1.
 */
public final class NetnsEdge
{
    private NetnsEdge()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int count = Integer.parseInt(args[2]);
        final EdgeRecorder outcomes = new EdgeRecorder();
        final AtomicLong probabilityBits = new AtomicLong(Double.doubleToLongBits(1.0));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (LinkClient edge = LinkClient.launch(new LinkClient.Config()
            .core(LinkEndpoint.parse(args[0]))
            .endpoint(LinkEndpoint.parse(args[1]))
            .edgeId(9)
            .silenceIntervals(20)
            .secret(Links.SECRET)
            .admission((saleId, p) -> probabilityBits.set(Double.doubleToLongBits(p))), outcomes))
        {
            while (!edge.isCoreAvailable())
            {
                check(deadline, "never joined the core");
                Thread.sleep(5);
            }
            final long[] ids = new long[count];
            final CommandEvent purchase = Links.purchase(1, 0, 1, 0);
            for (int i = 0; i < count; i++)
            {
                purchase.userId = 10_000 + i;
                ids[i] = Links.send(edge, purchase);
            }
            while (outcomes.outcomes.size() + outcomes.unknown.size() < count ||
                edge.views().get(1) == null || Double.longBitsToDouble(probabilityBits.get()) != 0.5 ||
                edge.clockOffset().sampleCount() < 4)
            {
                check(deadline, "outcomes " + outcomes.outcomes.size() + ", view " + edge.views().get(1) +
                    ", clock samples " + edge.clockOffset().sampleCount());
                Thread.sleep(5);
            }
            for (int i = 0; i < count; i++)
            {
                final CommandEvent outcome = outcomes.outcomes.get(ids[i]);
                if (outcome == null || outcome.resultUserId != 10_000 + i || outcome.resultOrderId != ids[i] + 1000)
                {
                    fail("command " + i + " got " + outcome);
                }
            }
            System.out.println("EDGE OK outcomes=" + outcomes.outcomes.size() + " unknown=" + outcomes.unknown.size() +
                " view=" + edge.views().get(1).name + " rttMicros=" + edge.clockOffset().roundTripNanos() / 1000);
        }
    }

    private static void check(final long deadline, final String what)
    {
        if (System.nanoTime() - deadline > 0)
        {
            fail(what);
        }
    }

    private static void fail(final String why)
    {
        System.out.println("EDGE FAILED " + why);
        System.exit(1);
    }
}
