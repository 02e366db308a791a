package io.flashsale.http.edge;

import io.flashsale.http.api.RequestState;
import io.flashsale.http.route.Route;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class PendingCommandsTest
{
    private static RequestState request(final long id)
    {
        return new RequestState(null, Route.PURCHASE, id, 0);
    }

    @Test
    void eachIdGivesBackItsOwnRequestOnceEvenWhenIdsShareASlot()
    {
        final PendingCommands pending = new PendingCommands(8);
        final List<RequestState> requests = new ArrayList<>();
        // 3, 11 and 19 all start probing at slot 3.
        for (final long id : new long[] {3, 11, 19, 4})
        {
            final RequestState request = request(id);
            requests.add(request);
            assertThat(pending.put(id, request)).isTrue();
        }
        assertThat(pending.take(11)).isSameAs(requests.get(1));
        assertThat(pending.take(11)).isNull();
        assertThat(pending.take(4)).isSameAs(requests.get(3));
        assertThat(pending.take(19)).isSameAs(requests.get(2));
        assertThat(pending.take(3)).isSameAs(requests.get(0));
        assertThat(pending.take(27)).isNull();
    }

    @Test
    void aFullTableRefusesAndAFreedSlotIsUsedAgain()
    {
        final PendingCommands pending = new PendingCommands(4);
        for (long id = 100; id < 104; id++)
        {
            assertThat(pending.put(id, request(id))).isTrue();
        }
        assertThat(pending.put(104, request(104))).isFalse();
        assertThat(pending.take(102)).isNotNull();
        assertThat(pending.put(104, request(104))).isTrue();
        assertThat(pending.take(104).id).isEqualTo(104);
    }

    @Test
    void manyThreadsPutWhileAnotherTakesAndNothingIsLostOrGivenTwice() throws Exception
    {
        final PendingCommands pending = new PendingCommands(1 << 10);
        final ConcurrentLinkedQueue<Long> sent = new ConcurrentLinkedQueue<>();
        final int threads = 4;
        final int each = 10_000;
        final CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++)
        {
            final long base = (long)t * each;
            new Thread(() -> {
                for (long id = base + 1; id <= base + each; id++)
                {
                    while (!pending.put(id, request(id)))
                    {
                        Thread.onSpinWait();
                    }
                    sent.add(id);
                }
                done.countDown();
            }).start();
        }
        long taken = 0;
        while (taken < (long)threads * each)
        {
            final Long id = sent.poll();
            if (id == null)
            {
                Thread.onSpinWait();
                continue;
            }
            final RequestState request = pending.take(id);
            assertThat(request).isNotNull();
            assertThat(request.id).isEqualTo(id);
            taken++;
        }
        done.await();
        assertThat(sent).isEmpty();
    }
}
