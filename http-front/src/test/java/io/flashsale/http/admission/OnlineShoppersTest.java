package io.flashsale.http.admission;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The online-shopper estimate in virtual time. */
class OnlineShoppersTest
{
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(5_000 * SECOND);
    private final OnlineShoppers online = new OnlineShoppers(now::get);

    @Test
    void countsDistinctShoppersWithinAFewPercentHoweverOftenEachIsSeen()
    {
        for (int round = 0; round < 5; round++)
        {
            for (long shopper = 1; shopper <= 100_000; shopper++)
            {
                online.seenShopper(shopper * 7919);
            }
            now.addAndGet(SECOND);
        }
        assertThat((double)online.count()).isCloseTo(100_000, within(3_000.0));
    }

    @Test
    void countsAShopperSeenByTokenAndByAddressOnce() throws UnknownHostException
    {
        for (int i = 0; i < 1_000; i++)
        {
            online.seenShopper(i);
            online.seenAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte)(i >> 8), (byte)i}));
        }
        assertThat((double)online.count()).isCloseTo(1_000, within(30.0));
    }

    @Test
    void shoppersBehindOneAddressCountOnceEachWhenTheyTakeKeys() throws UnknownHostException
    {
        final InetAddress office = InetAddress.getByAddress(new byte[] {(byte)192, 0, 2, 1});
        for (int i = 0; i < 500; i++)
        {
            online.seenAddress(office);
            online.seenShopper(i);
        }
        assertThat((double)online.count()).isCloseTo(500, within(15.0));
    }

    @Test
    void aShopperIsForgottenAboutAMinuteAfterTheLastSighting()
    {
        online.seenShopper(42);
        now.addAndGet(55 * SECOND);
        assertThat(online.count()).isEqualTo(1);
        online.seenShopper(43);
        now.addAndGet(20 * SECOND);
        assertThat(online.count()).as("42 seen 75 s ago, 43 20 s ago").isEqualTo(1);
        now.addAndGet(60 * SECOND);
        assertThat(online.count()).isZero();
    }

    @Test
    void nobodySeenCountsZero()
    {
        assertThat(online.count()).isZero();
    }
}
