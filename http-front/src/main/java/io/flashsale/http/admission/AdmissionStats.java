package io.flashsale.http.admission;

/**
 * What the admin view shows about one sale's admission draw.
 *
 * @param probability          the p every front draws with
 * @param arrivalRatePerSecond attempts a second reaching the draw, over every front
 * @param admitted             attempts admitted, over every front
 * @param shed                 attempts refused by the draw, over every front
 */
public record AdmissionStats(double probability, double arrivalRatePerSecond, long admitted, long shed)
{
}
