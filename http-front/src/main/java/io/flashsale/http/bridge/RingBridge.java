package io.flashsale.http.bridge;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.http.api.RequestState;

import java.util.function.Supplier;

/**
 * The bridge to a core in the same process: publishes onto the local Disruptor ring with the
 * request as the event's attachment, and gets results back through {@link RingReplies}, the one
 * reply listener, which hands them to the IO threads once per ring batch.
 *
 * <p>Any thread; the pipeline never blocks a publisher (a full ring is BUSY). Until the core is
 * assembled the pipeline is null: the views and the commands are only asked for once
 * {@link #isReady()} (the API answers 503 before).
 */
public final class RingBridge implements CoreBridge
{
    private final Supplier<CommandPipeline> pipeline;
    private final RingReplies replies;

    /** @param pipeline the ring, read at each publish since it is assembled after the front starts */
    public RingBridge(final Supplier<CommandPipeline> pipeline, final RingReplies replies)
    {
        this.pipeline = pipeline;
        this.replies = replies;
    }

    @Override
    public boolean isReady()
    {
        return pipeline.get() != null;
    }

    @Override
    public boolean isAccepting()
    {
        final CommandPipeline ring = pipeline.get();
        return ring != null && ring.isAccepting();
    }

    @Override
    public SaleViews views()
    {
        return pipeline.get().views();
    }

    @Override
    public Outcome purchase(final long saleId, final long userId, final String subject, final int qty, final long idempotencyKey,
                            final RequestState request)
    {
        return pipeline.get().purchase(saleId, userId, subject, qty, idempotencyKey, replies, request);
    }

    @Override
    public Outcome pay(final long orderId, final long userId, final String paymentRef, final RequestState request)
    {
        return pipeline.get().pay(orderId, userId, paymentRef, replies, request);
    }

    @Override
    public Outcome cancel(final long orderId, final long userId, final RequestState request)
    {
        return pipeline.get().cancel(orderId, userId, replies, request);
    }

    @Override
    public Outcome queryOrder(final long orderId, final long userId, final RequestState request)
    {
        return pipeline.get().queryOrder(orderId, userId, replies, request);
    }

    @Override
    public Outcome inspectOrder(final long orderId, final RequestState request)
    {
        return pipeline.get().inspectOrder(orderId, replies, request);
    }

    @Override
    public Outcome createSale(
        final String name, final long stock, final long startsAtMillis, final long endsAtMillis, final int perUserLimit,
        final long paymentWindowMillis, final RequestState request)
    {
        return pipeline.get().createSale(name, stock, startsAtMillis, endsAtMillis, perUserLimit, paymentWindowMillis, replies, request);
    }
}
