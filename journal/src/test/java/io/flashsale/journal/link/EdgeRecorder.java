package io.flashsale.journal.link;

import io.flashsale.engine.command.CommandEvent;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An edge's outcome listener for tests: every outcome and every unknown, by correlation id. */
final class EdgeRecorder implements OutcomeListener
{
    final Map<Long, CommandEvent> outcomes = new ConcurrentHashMap<>();
    final Set<Long> unknown = ConcurrentHashMap.newKeySet();
    /** Calls for an id that already had one: the "exactly once" promise broken. */
    final AtomicInteger repeats = new AtomicInteger();

    @Override
    public void onOutcome(final long correlationId, final CommandEvent result)
    {
        final CommandEvent copy = new CommandEvent();
        copy.outcome = result.outcome;
        copy.resultOrderId = result.resultOrderId;
        copy.resultSaleId = result.resultSaleId;
        copy.resultUserId = result.resultUserId;
        copy.resultQty = result.resultQty;
        copy.resultDeadline = result.resultDeadline;
        copy.resultOrderState = result.resultOrderState;
        if (outcomes.put(correlationId, copy) != null || unknown.contains(correlationId))
        {
            repeats.incrementAndGet();
        }
    }

    @Override
    public void onOutcomeUnknown(final long correlationId)
    {
        if (!unknown.add(correlationId) || outcomes.containsKey(correlationId))
        {
            repeats.incrementAndGet();
        }
    }
}
