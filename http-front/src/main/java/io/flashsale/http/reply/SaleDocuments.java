package io.flashsale.http.reply;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.admission.Admission;
import io.flashsale.http.admission.AdmissionStats;

import java.io.IOException;

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

    /** Everything an admin sees: terms, counts from one consistent cut, admission figures. */
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
        json.writeObjectFieldStart("admission");
        json.writeNumberField("probability", stats.probability());
        json.writeNumberField("arrivalRatePerSecond", stats.arrivalRatePerSecond());
        json.writeNumberField("admitted", stats.admitted());
        json.writeNumberField("shed", stats.shed());
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
