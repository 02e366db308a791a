package io.flashsale.journal.link;

/**
 * The edge's demand per sale, reported to the core every report interval (about 100 ms) so that
 * the core computes one admission probability from global demand.
 *
 * <p>{@link #reportTo} is called on the link client's agent thread; the counters behind it are
 * written by IO threads, so read-and-reset them atomically (e.g. {@code getAndSet(0)}).
 */
@FunctionalInterface
public interface DemandReporter
{
    void reportTo(Sink sink);

    /** Takes one sale's figures; call once per sale with something to say. */
    @FunctionalInterface
    interface Sink
    {
        /**
         * @param attempts       purchase attempts that reached the admission draw since the previous report
         * @param onlineShoppers shoppers seen online (page, time sync, key) in the last minute
         */
        void sale(long saleId, long attempts, long onlineShoppers);
    }
}
