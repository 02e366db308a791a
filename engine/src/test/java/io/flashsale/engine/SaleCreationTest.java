package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.sale.Sale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.flashsale.engine.EngineDriver.END;
import static io.flashsale.engine.EngineDriver.START;
import static io.flashsale.engine.EngineDriver.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

class SaleCreationTest
{
    private final EngineDriver driver = new EngineDriver();

    private CommandEvent create(final long stock, final long startsAt, final long endsAt, final int limit, final long window)
    {
        return driver.apply(Commands.createSale(START - 1_000, "sneakers", stock, startsAt, endsAt, limit, window));
    }

    @Test
    void createdSalesGetDenseIdsFromOne()
    {
        assertThat(create(10, START, END, 2, WINDOW).resultSaleId).isEqualTo(1);
        assertThat(create(10, START, END, 2, WINDOW).resultSaleId).isEqualTo(2);
        assertThat(create(10, START, END, 2, WINDOW).resultSaleId).isEqualTo(3);
        assertThat(driver.engine.saleCount()).isEqualTo(3);
        assertThat(driver.engine.views().size()).isEqualTo(3);
    }

    @Test
    void createdSaleKeepsItsTermsAndStartsWithAllStockAvailable()
    {
        final CommandEvent created = driver.apply(Commands.createSale(START - 1_000, "Turnschuhe \u00fc", 7, START, END, 2, WINDOW));

        assertThat(created.outcome).isEqualTo(Outcome.SALE_CREATED);
        final Sale sale = driver.engine.sale(created.resultSaleId);
        assertThat(sale.name).isEqualTo("Turnschuhe \u00fc");
        assertThat(sale.stock).isEqualTo(7);
        assertThat(sale.startsAt).isEqualTo(START);
        assertThat(sale.endsAt).isEqualTo(END);
        assertThat(sale.perUserLimit).isEqualTo(2);
        assertThat(sale.paymentWindowMillis).isEqualTo(WINDOW);
        assertThat(sale.available).isEqualTo(7);
        assertThat(sale.reservedUnits + sale.paidUnits).isZero();
        assertThat(driver.engine.views().get(created.resultSaleId).name).isEqualTo("Turnschuhe \u00fc");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Integer.MAX_VALUE + 1L, Long.MAX_VALUE})
    void createSaleWithStockOutOfRangeIsInvalid(final long stock)
    {
        assertThat(create(stock, START, END, 2, WINDOW).outcome).isEqualTo(Outcome.INVALID);
        assertThat(driver.engine.saleCount()).isZero();
    }

    @Test
    void createSaleWithLargestIntStockIsAccepted()
    {
        assertThat(create(Integer.MAX_VALUE, START, END, 2, WINDOW).outcome).isEqualTo(Outcome.SALE_CREATED);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -60_000})
    void createSaleEndingAtOrBeforeItsStartIsInvalid(final long duration)
    {
        assertThat(create(10, START, START + duration, 2, WINDOW).outcome).isEqualTo(Outcome.INVALID);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void createSaleWithoutPositivePerUserLimitIsInvalid(final int limit)
    {
        assertThat(create(10, START, END, limit, WINDOW).outcome).isEqualTo(Outcome.INVALID);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void createSaleWithoutPositivePaymentWindowIsInvalid(final long window)
    {
        assertThat(create(10, START, END, 2, window).outcome).isEqualTo(Outcome.INVALID);
    }

    @Test
    void invalidSaleDoesNotUseAnId()
    {
        create(0, START, END, 2, WINDOW);
        final CommandEvent created = create(10, START, END, 2, WINDOW);

        assertThat(created.resultSaleId).isEqualTo(1);
        assertThat(driver.engine.saleCount()).isEqualTo(1);
    }

    @Test
    void invalidSaleAnswerCarriesNoResultFields()
    {
        final CommandEvent refused = create(0, START, END, 2, WINDOW);

        assertThat(refused.resultSaleId).isZero();
        assertThat(refused.resultOrderId).isZero();
        assertThat(refused.resultOrderState).isNull();
    }
}
