package io.flashsale.engine.sale;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Buyers' slots against a plain map: dense slots in first-reservation order, the same slot on
 * every later look-up, nothing for strangers, and each slot's two values kept apart across many
 * pages and all shards, whatever the shape of the shopper ids.
 */
class BuyerSlotsTest
{
    private static final int BUYERS = 5 * BuyerSlots.PAGE_SLOTS * 16 + 7;

    @Test
    void slotsAreDenseInFirstReservationOrderAndStableForEveryIdShape()
    {
        final SplittableRandom random = new SplittableRandom(2026_11_26);
        final Set<Long> ids = new LinkedHashSet<>();
        while (ids.size() < BUYERS)
        {
            final int shape = ids.size() % 3;
            // Random 64-bit ids (hashed subjects), small sequential ones, and ones differing only in high bits.
            ids.add(shape == 0 ? random.nextLong() : shape == 1 ? (long)ids.size() : ((long)ids.size()) << 40);
        }
        final BuyerSlots slots = new BuyerSlots();
        final Map<Long, Integer> reference = new HashMap<>();
        for (final long id : ids)
        {
            assertThat(slots.slotOf(id)).isEqualTo(Sale.NO_SLOT);
            final int slot = slots.slotFor(id);
            assertThat(slot).isEqualTo(reference.size());
            reference.put(id, slot);
            assertThat(slots.count()).isEqualTo(reference.size());
        }
        for (final Map.Entry<Long, Integer> buyer : reference.entrySet())
        {
            assertThat(slots.slotOf(buyer.getKey())).isEqualTo(buyer.getValue());
            assertThat(slots.slotFor(buyer.getKey())).isEqualTo(buyer.getValue());
        }
        assertThat(slots.count()).isEqualTo(BUYERS);
        for (int i = 0; i < 10_000; i++)
        {
            final long stranger = random.nextLong();
            if (!reference.containsKey(stranger))
            {
                assertThat(slots.slotOf(stranger)).isEqualTo(Sale.NO_SLOT);
            }
        }
    }

    @Test
    void heldUnitsAndNewestOrderStayWithTheirSlotAcrossPages()
    {
        final BuyerSlots slots = new BuyerSlots();
        for (long id = 1; id <= BUYERS; id++)
        {
            final int slot = slots.slotFor(id * 7919);
            slots.addHeld(slot, id % 5 + 1);
            slots.newestOrder(slot, 10 * id);
        }
        for (long id = 1; id <= BUYERS; id += 3)
        {
            slots.addHeld(slots.slotOf(id * 7919), -1);
        }
        for (long id = 1; id <= BUYERS; id++)
        {
            final int slot = slots.slotOf(id * 7919);
            assertThat(slot).isEqualTo((int)id - 1);
            assertThat(slots.held(slot)).as("held in slot %d", slot).isEqualTo(id % 5 + 1 - ((id - 1) % 3 == 0 ? 1 : 0));
            assertThat(slots.newestOrder(slot)).as("newest order in slot %d", slot).isEqualTo(10 * id);
        }
    }

    @Test
    void aSaleCountsItsDistinctBuyersThroughItsSlots()
    {
        final Sale sale = new Sale(1, "s", 1_000, 0, 1_000, 10, 60_000);
        for (long id = 1; id <= 3 * BuyerSlots.PAGE_SLOTS; id++)
        {
            final int slot = sale.slotFor(id);
            sale.addHeldInSlot(slot, 2);
            sale.newestOrderInSlot(slot, id + 100);
            sale.slotFor(id); // a second reservation is not a new buyer
        }
        assertThat(sale.distinctBuyers).isEqualTo(3 * BuyerSlots.PAGE_SLOTS);
        assertThat(sale.held(5)).isEqualTo(2);
        assertThat(sale.newestOrder(5)).isEqualTo(105);
        assertThat(sale.held(-5)).isZero();
        assertThat(sale.newestOrder(-5)).isZero();
    }
}
