package io.flashsale.http.page;

import io.flashsale.engine.sale.SaleView;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CurrentSaleTest
{
    private static SaleView sale(final long id, final long startsAt, final long endsAt)
    {
        return new SaleView(id, "sale " + id, 10, startsAt, endsAt, 1, 60_000);
    }

    @Test
    void nothingOnAndNothingToComeIsNoSale()
    {
        assertThat(CurrentSale.pick(List.of(), 1_000)).isNull();
        assertThat(CurrentSale.pick(List.of(sale(1, 0, 500)), 1_000)).isNull();
    }

    @Test
    void aSaleOnNowWinsOverOneToCome()
    {
        final SaleView on = sale(1, 900, 2_000);
        assertThat(CurrentSale.pick(List.of(sale(2, 1_100, 3_000), on), 1_000)).isSameAs(on);
    }

    @Test
    void ofSeveralOnNowTheLatestStartedWins()
    {
        final SaleView newest = sale(2, 950, 5_000);
        assertThat(CurrentSale.pick(List.of(sale(1, 100, 5_000), newest, sale(3, 500, 5_000)), 1_000)).isSameAs(newest);
    }

    @Test
    void ofSeveralToComeTheFirstToStartWins()
    {
        final SaleView first = sale(2, 1_500, 5_000);
        assertThat(CurrentSale.pick(List.of(sale(1, 3_000, 5_000), first, sale(3, 2_000, 5_000)), 1_000)).isSameAs(first);
    }

    @Test
    void theStartIsOnAndTheEndIsOver()
    {
        final SaleView starting = sale(1, 1_000, 2_000);
        assertThat(CurrentSale.pick(List.of(starting), 1_000)).isSameAs(starting);
        assertThat(CurrentSale.pick(List.of(starting), 2_000)).isNull();
    }
}
