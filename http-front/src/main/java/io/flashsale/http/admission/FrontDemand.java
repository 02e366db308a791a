package io.flashsale.http.admission;

/**
 * One front's share of a sale's demand, for the admin view: the core's own front ("core") or an
 * edge ("edge-7").
 *
 * @param front             which front
 * @param arrivalsPerSecond purchase attempts reaching its draw, as last measured or reported
 * @param onlineShoppers    shoppers it saw in the last minute
 * @param attempts          purchase attempts that reached its draw since the core started
 * @param admitted          of those, admitted to the core
 */
public record FrontDemand(String front, double arrivalsPerSecond, long onlineShoppers, long attempts, long admitted)
{
}
