package io.flashsale.journal.link;

/**
 * Where an edge puts the admission probability the core pushes for each sale: the edge's
 * admission draw, which every attempt at the sale then draws with.
 *
 * <p>Called on the link client's agent thread only, after the sale's view has arrived. Must not
 * block.
 */
@FunctionalInterface
public interface AdmissionListener
{
    AdmissionListener IGNORE = (saleId, probability) -> { };

    void onAdmission(long saleId, double probability);
}
