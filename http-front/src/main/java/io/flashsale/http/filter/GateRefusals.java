package io.flashsale.http.filter;

import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.reply.JsonOut;
import io.flashsale.http.reply.Problem;
import io.flashsale.http.reply.ResponseWriter;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The problem documents the sale gate answers (not started, ended, sold out), built once per sale
 * and reused, so that turning a crowd away from a sold-out sale costs what a static response
 * costs. A sale's terms never change, so neither do these bodies. Any thread.
 */
public final class GateRefusals
{
    private static final Problem[] KINDS = {Problem.NOT_STARTED, Problem.ENDED, Problem.SOLD_OUT};

    /** Per sale, its three bodies, built together and published through the atomic array. */
    private volatile AtomicReferenceArray<byte[][]> bySale = new AtomicReferenceArray<>(0);

    public byte[] body(final SaleView sale, final Problem problem)
    {
        AtomicReferenceArray<byte[][]> cached = bySale;
        if (sale.id > cached.length())
        {
            cached = grow(sale.id);
        }
        final int index = (int)(sale.id - 1);
        byte[][] bodies = cached.get(index);
        if (bodies == null)
        {
            // Two threads may build the same bytes; the first one stored wins.
            final byte[][] built = new byte[KINDS.length][];
            for (int i = 0; i < KINDS.length; i++)
            {
                built[i] = build(sale, KINDS[i]);
            }
            cached.compareAndSet(index, null, built);
            bodies = cached.get(index);
        }
        return bodies[kind(problem)];
    }

    private synchronized AtomicReferenceArray<byte[][]> grow(final long saleId)
    {
        AtomicReferenceArray<byte[][]> cached = bySale;
        if (saleId > cached.length())
        {
            final AtomicReferenceArray<byte[][]> grown = new AtomicReferenceArray<>((int)Math.max(saleId, cached.length() * 2L));
            for (int i = 0; i < cached.length(); i++)
            {
                grown.set(i, cached.get(i));
            }
            bySale = grown;
            cached = grown;
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
            case NOT_STARTED -> ResponseWriter.problemBody(problem, "sale " + sale.id + " starts at " + JsonOut.instant(sale.startsAt), json -> {
                json.writeNumberField("saleId", sale.id);
                json.writeStringField("startsAt", JsonOut.instant(sale.startsAt));
            });
            case ENDED -> ResponseWriter.problemBody(problem, "sale " + sale.id + " ended at " + JsonOut.instant(sale.endsAt), json -> {
                json.writeNumberField("saleId", sale.id);
                json.writeStringField("endsAt", JsonOut.instant(sale.endsAt));
            });
            default -> ResponseWriter.problemBody(problem, "sale " + sale.id + " has no units left", json -> json.writeNumberField("saleId", sale.id));
        };
    }
}
