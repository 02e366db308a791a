package io.flashsale.engine.pipeline;

import io.flashsale.engine.SaleEngine;

/**
 * Receives the engine when a SNAPSHOT command reaches the business thread: a consistent cut of
 * the state at that point of the ring. Called on the business thread, so an implementation should
 * copy the state out quickly (e.g. into a byte array) and write it elsewhere.
 */
@FunctionalInterface
public interface SnapshotPort
{
    SnapshotPort NONE = engine -> { };

    void onSnapshot(SaleEngine engine) throws Exception;
}
