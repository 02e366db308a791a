package io.flashsale.engine.sale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An edge's copy of the core's views: views put in any order, replaced, and counts published from elsewhere. */
class SaleViewsCopyTest
{
    private static SaleView view(final long id, final long stock)
    {
        return new SaleView(id, "sale " + id, stock, 0, 1_000, 1, 60_000);
    }

    @Test
    void viewsPutOutOfOrderLeaveGapsThatReadAsMissing()
    {
        final SaleViews views = new SaleViews();
        views.put(view(3, 30));
        assertThat(views.size()).isEqualTo(3);
        assertThat(views.get(1)).isNull();
        assertThat(views.get(3).stock).isEqualTo(30);
        assertThat(views.all()).extracting(v -> v.id).containsExactly(3L);
        views.put(view(1, 10));
        assertThat(views.all()).extracting(v -> v.id).containsExactly(1L, 3L);
        views.put(view(1, 11));
        assertThat(views.get(1).stock).isEqualTo(11);
        assertThat(views.size()).isEqualTo(3);
        assertThatThrownBy(() -> views.put(view(0, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsPublishedFromElsewhereAreReadAsOneCut()
    {
        final SaleView view = view(1, 10);
        final SaleCounts pushed = new SaleCounts();
        pushed.available = 4;
        pushed.reserved = 5;
        pushed.paid = 1;
        pushed.cancelled = 2;
        pushed.expired = 3;
        pushed.distinctBuyers = 6;
        pushed.engineTime = 999;
        view.publish(pushed);
        assertThat(view.available()).isEqualTo(4);
        assertThat(view.readCounts(new SaleCounts())).usingRecursiveComparison().isEqualTo(pushed);
        assertThat(view.stateAt(500)).isEqualTo(SaleState.OPEN);
    }
}
