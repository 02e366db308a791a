package io.flashsale.bench.drill.crash;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * What one load loop's client was told during one crash cycle: the orders reserved, the payments
 * and cancellations acknowledged, the requests whose answer never came. The drill's main thread
 * folds it into the ledger once the loop's run is over.
 *
 * <p>Written by one load loop thread; read by the main thread after the run (the run's future
 * orders the two), but for {@link #firstReservation}, which the main thread awaits during it.
 */
final class CycleLog
{
    final List<Ack> reserved = new ArrayList<>();
    /** Opens at the first reservation acknowledged in this cycle: from then on a kill has something to lose. */
    final CountDownLatch firstReservation = new CountDownLatch(1);
    final LongArrayList paid = new LongArrayList();
    final LongArrayList cancelled = new LongArrayList();
    /** Orders a pay or cancel was sent for, whatever the answer. */
    final LongArrayList payAsked = new LongArrayList();
    final LongArrayList cancelAsked = new LongArrayList();
    /** Purchases sent without an answer (the kill), by sale: each may or may not have reserved. */
    final Long2LongHashMap unknownPurchases = new Long2LongHashMap(0);
    /** A repeated Idempotency-Key answered with another order, or not 201: must stay empty. */
    final List<String> idempotencyViolations = new ArrayList<>();
    long duplicatesConfirmed;
}
