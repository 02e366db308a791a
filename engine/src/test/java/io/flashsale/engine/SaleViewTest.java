package io.flashsale.engine;

import io.flashsale.engine.model.Commands;
import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleState;
import io.flashsale.engine.sale.SaleView;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.flashsale.engine.EngineDriver.ALICE;
import static io.flashsale.engine.EngineDriver.BOB;
import static io.flashsale.engine.EngineDriver.END;
import static io.flashsale.engine.EngineDriver.START;
import static io.flashsale.engine.EngineDriver.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

class SaleViewTest
{
    private final EngineDriver driver = new EngineDriver();

    @Test
    void viewsChangeOnlyWhenPublished()
    {
        final long sale = driver.sale(10, 3);
        driver.engine.publishViews();
        final SaleView view = driver.engine.views().get(sale);

        driver.reserve(START, sale, ALICE, 3);
        assertThat(view.available()).isEqualTo(10);
        assertThat(view.readCounts(new SaleCounts()).reserved).isZero();

        driver.engine.publishViews();
        assertThat(view.available()).isEqualTo(7);
        assertThat(view.readCounts(new SaleCounts()).reserved).isEqualTo(3);
    }

    @Test
    void publishedCountsAreOneConsistentCut()
    {
        final long sale = driver.sale(10, 3);
        final long paid = driver.reserve(START, sale, ALICE, 2);
        final long cancelled = driver.reserve(START, sale, BOB, 3);
        driver.reserve(START + 10, sale, 33, 1);
        driver.reserve(START + 20, sale, 44, 1);
        driver.pay(START + 30, paid, ALICE);
        driver.cancel(START + 30, cancelled, BOB);
        driver.tick(START + 10 + WINDOW);
        driver.engine.publishViews();

        final SaleCounts counts = driver.engine.views().get(sale).readCounts(new SaleCounts());

        assertThat(counts.available).isEqualTo(7);
        assertThat(counts.reserved).isEqualTo(1);
        assertThat(counts.paid).isEqualTo(2);
        assertThat(counts.cancelled).isEqualTo(3);
        assertThat(counts.expired).isEqualTo(1);
        assertThat(counts.distinctBuyers).isEqualTo(4);
        assertThat(counts.engineTime).isEqualTo(START + 10 + WINDOW);
        assertThat(counts.available + counts.reserved + counts.paid).isEqualTo(10);
    }

    @Test
    void onlyTouchedSalesArePublished()
    {
        final long busy = driver.sale(10, 3);
        final long quiet = driver.sale(10, 3);
        driver.engine.publishViews();
        final long quietTime = driver.engine.views().get(quiet).readCounts(new SaleCounts()).engineTime;

        driver.reserve(START, busy, ALICE, 1);
        driver.engine.publishViews();

        assertThat(driver.engine.views().get(busy).readCounts(new SaleCounts()).engineTime).isEqualTo(START);
        assertThat(driver.engine.views().get(quiet).readCounts(new SaleCounts()).engineTime).isEqualTo(quietTime);
    }

    @Test
    void expiryPublishesTheSaleItTouched()
    {
        final long sale = driver.sale(1, 1);
        driver.reserve(START, sale, ALICE, 1);
        driver.engine.publishViews();
        assertThat(driver.engine.views().get(sale).stateAt(START)).isEqualTo(SaleState.SOLD_OUT);

        driver.tick(START + WINDOW);
        driver.engine.publishViews();

        assertThat(driver.engine.views().get(sale).available()).isEqualTo(1);
        assertThat(driver.engine.views().get(sale).stateAt(START + WINDOW)).isEqualTo(SaleState.OPEN);
    }

    @Test
    void viewStateFollowsTheCallersClock()
    {
        final long sale = driver.sale(10, 3);
        driver.engine.publishViews();
        final SaleView view = driver.engine.views().get(sale);

        assertThat(view.stateAt(START - 1)).isEqualTo(SaleState.SCHEDULED);
        assertThat(view.stateAt(START)).isEqualTo(SaleState.OPEN);
        assertThat(view.stateAt(END)).isEqualTo(SaleState.ENDED);
    }

    @Test
    void viewsAreFoundByIdAndListedInIdOrder()
    {
        driver.sale(10, 3);
        driver.apply(Commands.createSale(START, "second", 5, START, END, 1, WINDOW));

        assertThat(driver.engine.views().get(0)).isNull();
        assertThat(driver.engine.views().get(3)).isNull();
        assertThat(driver.engine.views().get(2).name).isEqualTo("second");
        assertThat(driver.engine.views().all()).extracting(v -> v.id).containsExactly(1L, 2L);
    }

    @Test
    void readerOnAnotherThreadNeverSeesATornCut() throws Exception
    {
        final long sale = driver.sale(1_000, 1);
        driver.engine.publishViews();
        final SaleView view = driver.engine.views().get(sale);
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<String> torn = new AtomicReference<>();
        final AtomicLong reads = new AtomicLong();
        final CountDownLatch reading = new CountDownLatch(1);
        final Thread reader = new Thread(() ->
        {
            final SaleCounts counts = new SaleCounts();
            while (!done.get() && torn.get() == null)
            {
                view.readCounts(counts);
                reads.incrementAndGet();
                reading.countDown();
                if (counts.available + counts.reserved + counts.paid != 1_000 ||
                    counts.reserved + counts.paid > counts.distinctBuyers)
                {
                    torn.set("available " + counts.available + " reserved " + counts.reserved + " paid " + counts.paid +
                        " buyers " + counts.distinctBuyers);
                }
            }
        });
        reader.start();
        try
        {
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            // Every shopper buys one unit and pays for every other, so all counts keep moving.
            for (long user = 1; user <= 1_000; user++)
            {
                final long order = driver.engine.orders().count() + 1;
                driver.engine.apply(Commands.purchase(START, sale, user, 1, 0));
                if (user % 2 == 0)
                {
                    driver.engine.apply(Commands.pay(START, order, user, "r"));
                }
                driver.engine.publishViews();
            }
        }
        finally
        {
            done.set(true);
            reader.join();
        }

        assertThat(torn.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(view.readCounts(new SaleCounts()).paid).isEqualTo(500);
    }
}
