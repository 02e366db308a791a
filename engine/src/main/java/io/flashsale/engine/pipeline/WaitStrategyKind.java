package io.flashsale.engine.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How ring stages wait for work. On a machine with fewer cores than stages plus IO threads the
 * spinning kinds steal CPU from the fronts. PARKING ({@link ParkingWaitStrategy}: blocks while the
 * ring is empty, naps while an earlier stage is busy) is the default. SLEEPING (spin, yield, then
 * park about 60 µs at a time, also when idle) costs a share of a core on an idle ring. BLOCKING parks
 * on a lock only while the ring is empty: a stage that waits on other stages (the reply stage)
 * spins instead, so it burns a core under load. YIELDING and BUSY_SPIN are for machines with cores
 * to spare.
 */
public enum WaitStrategyKind
{
    PARKING,
    BLOCKING,
    SLEEPING,
    YIELDING,
    BUSY_SPIN;

    public WaitStrategy create()
    {
        return switch (this)
        {
            case PARKING -> new ParkingWaitStrategy();
            case BLOCKING -> new BlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
