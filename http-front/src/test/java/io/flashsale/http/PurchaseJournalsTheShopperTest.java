package io.flashsale.http;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.journal.audit.JournalFolder;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalReader;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A purchase over HTTP is journaled with its token's subject, so that the journal says who bought. */
class PurchaseJournalsTheShopperTest
{
    @TempDir
    Path data;

    @Test
    void thePurchaseRecordCarriesTheTokensSubject() throws Exception
    {
        try (TestServer s = new TestServer(config -> config.journal.directory = data.toString(), new ServerEnvironment()))
        {
            final long sale = s.createSale(5, 0, 2, 120);
            assertThat(s.purchase(sale, "customer-17@shop.example", 1).status()).isEqualTo(201);
            assertThat(s.purchase(sale, "ünïcode-shopper", 2).status()).isEqualTo(201);

            final List<String> purchases = new ArrayList<>();
            try (SingleChronicleQueue queue = JournalQueues.openForReading(JournalFolder.resolve(data).queue());
                 JournalReader reader = new JournalReader(queue))
            {
                reader.toStart();
                final CommandEvent command = new CommandEvent();
                while (reader.next(command) == JournalReader.Status.RECORD)
                {
                    if (command.type == CommandType.PURCHASE)
                    {
                        purchases.add(command.userId + " " + command.textAsString());
                    }
                }
            }
            assertThat(purchases).containsExactly(
                ShopperIds.userId("customer-17@shop.example") + " customer-17@shop.example",
                ShopperIds.userId("ünïcode-shopper") + " ünïcode-shopper");
        }
    }
}
