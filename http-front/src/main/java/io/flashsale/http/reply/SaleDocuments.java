package io.flashsale.http.reply;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.admission.Admission;
import io.flashsale.http.admission.AdmissionStats;
import io.flashsale.http.admission.FrontDemand;

import java.io.IOException;
import java.util.List;

/** The JSON documents of a sale: what shoppers see, and what admins see. Any thread. */
public final class SaleDocuments
{
    private SaleDocuments()
    {
    }

    /** What shoppers may see of a sale, at the server's clock. */
    public static byte[] publicSale(final SaleView sale, final long nowMillis)
    {
        return JsonOut.object(json -> writePublic(json, sale, sale.available(), nowMillis));
    }

    /**
     * Everything an admin sees: terms, counts from one consistent cut, admission figures (p, arrivals
     * a second and shoppers online over every front, admitted and shed, and the same per front).
     */
    public static byte[] adminSale(final SaleView sale, final long nowMillis, final Admission admission)
    {
        return JsonOut.object(json -> writeAdmin(json, sale, nowMillis, admission));
    }

    public static void writeAdmin(final JsonGenerator json, final SaleView sale, final long nowMillis, final Admission admission)
        throws IOException
    {
        final SaleCounts counts = sale.readCounts(new SaleCounts());
        writePublic(json, sale, counts.available, nowMillis);
        json.writeNumberField("stock", sale.stock);
        json.writeNumberField("reserved", counts.reserved);
        json.writeNumberField("paid", counts.paid);
        json.writeNumberField("cancelled", counts.cancelled);
        json.writeNumberField("expired", counts.expired);
        json.writeNumberField("distinctBuyers", counts.distinctBuyers);
        final AdmissionStats stats = admission.stats(sale);
        final List<FrontDemand> fronts = admission.demandByFront(sale);
        long online = 0;
        for (final FrontDemand front : fronts)
        {
            online += front.onlineShoppers();
        }
        json.writeObjectFieldStart("admission");
        json.writeNumberField("probability", stats.probability());
        json.writeNumberField("arrivalRatePerSecond", stats.arrivalRatePerSecond());
        json.writeNumberField("onlineShoppers", online);
        json.writeNumberField("admitted", stats.admitted());
        json.writeNumberField("shed", stats.shed());
        json.writeArrayFieldStart("fronts");
        for (final FrontDemand front : fronts)
        {
            json.writeStartObject();
            json.writeStringField("front", front.front());
            json.writeNumberField("arrivalRatePerSecond", front.arrivalsPerSecond());
            json.writeNumberField("onlineShoppers", front.onlineShoppers());
            json.writeNumberField("attempts", front.attempts());
            json.writeNumberField("admitted", front.admitted());
            json.writeNumberField("shed", Math.max(0, front.attempts() - front.admitted()));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writePublic(final JsonGenerator json, final SaleView sale, final long available, final long nowMillis)
        throws IOException
    {
        json.writeNumberField("id", sale.id);
        json.writeStringField("name", sale.name);
        json.writeStringField("state", io.flashsale.engine.sale.SaleState.at(nowMillis, sale.startsAt, sale.endsAt, available).name());
        json.writeStringField("startsAt", JsonOut.instant(sale.startsAt));
        json.writeStringField("endsAt", JsonOut.instant(sale.endsAt));
        json.writeNumberField("perUserLimit", sale.perUserLimit);
        json.writeNumberField("paymentWindowSeconds", sale.paymentWindowMillis / 1000);
        json.writeNumberField("available", available);
    }
}
