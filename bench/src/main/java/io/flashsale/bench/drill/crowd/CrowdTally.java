package io.flashsale.bench.drill.crowd;

/** What one load loop's share of the crowd got. One loop thread writes it; the main thread merges after the run. */
final class CrowdTally
{
    long shoppersTried;
    long buyers;
    long duplicatesAnswered;
    long duplicatesRefused;
    long serverErrors;
    long errors;
    /** Purchases without an answer: each may or may not have reserved a unit. */
    long unansweredPurchases;

    void add(final CrowdTally other)
    {
        shoppersTried += other.shoppersTried;
        buyers += other.buyers;
        duplicatesAnswered += other.duplicatesAnswered;
        duplicatesRefused += other.duplicatesRefused;
        serverErrors += other.serverErrors;
        errors += other.errors;
        unansweredPurchases += other.unansweredPurchases;
    }
}
