package io.flashsale.bench.load;

/**
 * What the virtual users of one load loop do: the first request of each arrival, and what to do
 * with each answer (count it under an outcome label, maybe schedule a follow-up). The generator
 * gives each loop its own instance and calls it only on that loop's thread, so an implementation
 * needs no locks; the scenario that created the instances merges their tallies afterwards.
 *
 * <p>Arrival indices are global across loops (loop k of n gets k, k + n, k + 2n, ...), so a
 * workload can map an arrival to a shopper without coordinating with the other loops.
 */
public interface Workload
{
    /** Builds the first request of arrival {@code index}. */
    LoadRequest arrive(long index);

    /**
     * Handles an answer and returns the outcome label it is counted under for its step (e.g.
     * "201 reserved", "410 sold-out"). May schedule follow-ups.
     */
    String onAnswer(LoadRequest request, Answer answer, FollowUps followUps);

    /**
     * The request failed without an answer ({@code error} is "connection closed", "timeout", ...).
     * It is counted as "error:" + error; the workload may retry through {@code followUps}.
     */
    default void onError(final LoadRequest request, final String error, final FollowUps followUps)
    {
    }

    /** Lets a workload send a further request at a later time, counted from now. */
    interface FollowUps
    {
        /**
         * Sends {@code request} {@code delayNanos} from now; its latency is counted from that
         * intended time. Ignored once the run's deadline has passed.
         */
        void after(long delayNanos, LoadRequest request);
    }
}
