package io.flashsale.http.admission;

/**
 * What admission needs to know of the core's capacity, measured while it runs: how many commands a
 * second the ring applies when it has work, and how many are waiting in it now.
 *
 * <p>Any thread.
 */
public interface CoreCapacity
{
    /** Commands a second the ring applies while busy; {@link Double#POSITIVE_INFINITY} while not measured yet. */
    double commandsPerSecond();

    /** Commands published to the ring and not yet applied. */
    long backlog();
}
