package io.flashsale.http.admission;

import io.flashsale.engine.sale.SaleView;

import java.util.List;

/**
 * The admission draw as the front's filters see it: every purchase attempt that passed the gates
 * draws once with the sale's current probability p. Where p comes from is the implementation's
 * business: computed centrally by the core from every front's demand, the units left and its
 * capacity ({@link AdmissionController}), or pushed by a remote core (an edge).
 *
 * <p>Any thread, never blocks.
 */
public interface Admission
{
    /** Counts one purchase attempt for the sale and draws: true means go on to the core. */
    boolean admit(SaleView view);

    /** The sale's current p (1 for a sale nobody has tried to buy yet). */
    double probability(SaleView view);

    /** A copy of the sale's admission figures, for the admin view and metrics. */
    AdmissionStats stats(SaleView view);

    /** Each front's demand for the sale, for the admin view; empty where only one front's is known. */
    default List<FrontDemand> demandByFront(final SaleView view)
    {
        return List.of();
    }
}
