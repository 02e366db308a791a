package io.flashsale.http.api;

import io.flashsale.engine.sale.SaleView;

import java.util.Arrays;

/**
 * The problem documents the sale gate answers (not started, ended, sold out), built once per sale
 * and reused, so that turning a crowd away from a sold-out sale costs what a static response
 * costs. A sale's terms never change, so neither do these bodies. Any thread.
 */
final class GateBodies
{
    private static final Problem[] KINDS = {Problem.NOT_STARTED, Problem.ENDED, Problem.SOLD_OUT};

    private volatile byte[][][] bySale = new byte[0][][];

    byte[] body(final SaleView sale, final Problem problem)
    {
        final int kind = kind(problem);
        byte[][][] cached = bySale;
        if (sale.id > cached.length)
        {
            cached = grow(sale.id);
        }
        final byte[][] bodies = cached[(int)(sale.id - 1)];
        byte[] body = bodies[kind];
        if (body == null)
        {
            // A benign race: two threads may build the same bytes.
            body = build(sale, problem);
            bodies[kind] = body;
        }
        return body;
    }

    private synchronized byte[][][] grow(final long saleId)
    {
        byte[][][] cached = bySale;
        if (saleId > cached.length)
        {
            final int old = cached.length;
            cached = Arrays.copyOf(cached, (int)saleId);
            for (int i = old; i < cached.length; i++)
            {
                cached[i] = new byte[KINDS.length][];
            }
            bySale = cached;
        }
        return cached;
    }

    private static int kind(final Problem problem)
    {
        for (int i = 0; i < KINDS.length; i++)
        {
            if (KINDS[i] == problem)
            {
                return i;
            }
        }
        throw new IllegalArgumentException("not a gate problem: " + problem);
    }

    private static byte[] build(final SaleView sale, final Problem problem)
    {
        return switch (problem)
        {
            case NOT_STARTED -> Responses.problemBody(problem, "sale " + sale.id + " starts at " + JsonOut.instant(sale.startsAt), json -> {
                json.writeNumberField("saleId", sale.id);
                json.writeStringField("startsAt", JsonOut.instant(sale.startsAt));
            });
            case ENDED -> Responses.problemBody(problem, "sale " + sale.id + " ended at " + JsonOut.instant(sale.endsAt), json -> {
                json.writeNumberField("saleId", sale.id);
                json.writeStringField("endsAt", JsonOut.instant(sale.endsAt));
            });
            default -> Responses.problemBody(problem, "sale " + sale.id + " has no units left", json -> json.writeNumberField("saleId", sale.id));
        };
    }
}
