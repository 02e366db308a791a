package io.flashsale.bench.scenario;

import org.agrona.collections.LongArrayList;

import java.util.BitSet;

/**
 * What one load loop's shoppers of a rush were told, counted from the answers: the generator's
 * side of the books. One loop thread writes an instance; {@link #add} merges after the run.
 */
final class RushTally
{
    long keys;
    long reserved;
    long paid;
    long payExpired;
    long cancelled;
    long cancelExpired;
    long walkedAway;
    long soldOutAnswers;
    long soldOutRetries;
    long retries;
    long gaveUp;
    long purchaseUnknown;
    long payUnknown;
    long cancelUnknown;
    long firstSoldOutNanos = Long.MAX_VALUE;
    final LongArrayList reservationNanos = new LongArrayList();
    final BitSet served = new BitSet();
    final BitSet paidShoppers = new BitSet();

    void add(final RushTally other)
    {
        keys += other.keys;
        reserved += other.reserved;
        paid += other.paid;
        payExpired += other.payExpired;
        cancelled += other.cancelled;
        cancelExpired += other.cancelExpired;
        walkedAway += other.walkedAway;
        soldOutAnswers += other.soldOutAnswers;
        soldOutRetries += other.soldOutRetries;
        retries += other.retries;
        gaveUp += other.gaveUp;
        purchaseUnknown += other.purchaseUnknown;
        payUnknown += other.payUnknown;
        cancelUnknown += other.cancelUnknown;
        firstSoldOutNanos = Math.min(firstSoldOutNanos, other.firstSoldOutNanos);
        reservationNanos.addAll(other.reservationNanos);
        served.or(other.served);
        paidShoppers.or(other.paidShoppers);
    }
}
