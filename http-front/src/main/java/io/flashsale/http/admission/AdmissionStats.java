package io.flashsale.http.admission;

/** What the admin view shows about one sale's admission draw. */
public record AdmissionStats(double probability, double arrivalRatePerSecond, long admitted, long shed)
{
}
