package io.flashsale.journal.link;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.flashsale.journal.link.Links.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every message type crosses real Aeron over UDP on 127.0.0.1, and commands arrive whole and in order. */
class LinkRoundTripTest
{
    @Test
    void everyMessageTypeCrossesTheLinkWithItsFields() throws Exception
    {
        final long now = System.currentTimeMillis();
        final SaleView sale = new SaleView(1, "Café ☕ bottles", 10, now - 1_000, now + 3_600_000, 2, 600_000);
        final SaleCounts counts = new SaleCounts();
        counts.available = 6;
        counts.reserved = 3;
        counts.paid = 1;
        counts.cancelled = 4;
        counts.expired = 5;
        counts.distinctBuyers = 7;
        counts.engineTime = now;
        final CoreRecorder core = new CoreRecorder(true);
        final EdgeRecorder edge = new EdgeRecorder();
        final Map<Long, Double> pushed = new ConcurrentHashMap<>();
        try (LinkServer server = Links.launch(Links.server().viewSource(s ->
            {
                s.broadcastView(sale, counts);
                s.broadcastAdmission(1, 0.25);
            }), core);
            LinkClient client = LinkClient.launch(Links.client(server, 7).reporter(sink -> sink.sale(1, 13, 42)).admission(pushed::put), edge))
        {
            Links.awaitJoined(client);
            assertThat(core.joined).containsExactly(7);
            assertThat(client.coreInstanceId()).isEqualTo(server.instanceId());

            final CommandEvent purchase = Links.purchase(1, 501, 2, 0xabcdefL);
            final CommandEvent pay = new CommandEvent();
            pay.type = CommandType.PAY;
            pay.timestamp = now;
            pay.orderId = 77;
            pay.userId = 501;
            pay.setText("ref-Zürich-42");
            final CommandEvent cancel = new CommandEvent();
            cancel.type = CommandType.CANCEL;
            cancel.timestamp = now;
            cancel.orderId = 78;
            cancel.userId = 502;
            final CommandEvent query = new CommandEvent();
            query.type = CommandType.QUERY_ORDER;
            query.timestamp = now;
            query.orderId = 79;
            query.userId = 503;
            final List<CommandEvent> sent = List.of(purchase, pay, cancel, query);
            final List<Long> ids = new ArrayList<>();
            for (final CommandEvent command : sent)
            {
                ids.add(Links.send(client, command));
            }

            await().atMost(PATIENCE).until(() -> edge.outcomes.size() == sent.size());
            assertThat(core.commands()).extracting(CoreRecorder.Received::correlationId).containsExactlyElementsOf(ids);
            for (int i = 0; i < sent.size(); i++)
            {
                final CommandEvent expected = sent.get(i);
                final CoreRecorder.Received received = core.commands().get(i);
                assertThat(received.edgeId()).isEqualTo(7);
                assertThat(received.command().type).isEqualTo(expected.type);
                assertThat(received.command().timestamp).isEqualTo(expected.timestamp);
                assertThat(received.command().saleId).isEqualTo(expected.saleId);
                assertThat(received.command().userId).isEqualTo(expected.userId);
                assertThat(received.command().orderId).isEqualTo(expected.orderId);
                assertThat(received.command().qty).isEqualTo(expected.qty);
                assertThat(received.command().idempotencyKey).isEqualTo(expected.idempotencyKey);
                assertThat(received.command().textAsString()).isEqualTo(expected.textAsString());

                final CommandEvent answer = CoreRecorder.answerTo(ids.get(i), expected);
                final CommandEvent outcome = edge.outcomes.get(ids.get(i));
                assertThat(outcome.outcome).isEqualTo(answer.outcome);
                assertThat(outcome.resultOrderId).isEqualTo(answer.resultOrderId);
                assertThat(outcome.resultSaleId).isEqualTo(answer.resultSaleId);
                assertThat(outcome.resultUserId).isEqualTo(answer.resultUserId);
                assertThat(outcome.resultQty).isEqualTo(answer.resultQty);
                assertThat(outcome.resultDeadline).isEqualTo(answer.resultDeadline);
                assertThat(outcome.resultOrderState).isEqualTo(answer.resultOrderState);
            }
            assertThat(edge.outcomes.get(ids.get(0)).outcome).isEqualTo(Outcome.RESERVED);
            assertThat(edge.outcomes.get(ids.get(1)).resultOrderState).isEqualTo(OrderState.PAID);

            await().atMost(PATIENCE).until(() -> client.views().get(1) != null && Double.valueOf(0.25).equals(pushed.get(1L)));
            final SaleView view = client.views().get(1);
            assertThat(view.name).isEqualTo("Café ☕ bottles");
            assertThat(view.stock).isEqualTo(10);
            assertThat(view.startsAt).isEqualTo(sale.startsAt);
            assertThat(view.endsAt).isEqualTo(sale.endsAt);
            assertThat(view.perUserLimit).isEqualTo(2);
            assertThat(view.paymentWindowMillis).isEqualTo(600_000);
            final SaleCounts copy = view.readCounts(new SaleCounts());
            assertThat(copy).usingRecursiveComparison().isEqualTo(counts);

            await().atMost(PATIENCE).until(() -> !core.reports.isEmpty());
            final CoreRecorder.Report report = core.reports.get(0);
            assertThat(report.edgeId()).isEqualTo(7);
            assertThat(report.saleId()).isEqualTo(1);
            assertThat(report.attempts()).isEqualTo(13);
            assertThat(report.online()).isEqualTo(42);

            await().atMost(PATIENCE).until(() -> client.clockOffset().isKnown());
            assertThat(edge.unknown).isEmpty();
            assertThat(edge.repeats).hasValue(0);
            assertThat(server.commandsRefused()).isZero();
        }
    }

    @Test
    void saidChangedViewsArePushedWithoutWaitingForTheInterval() throws Exception
    {
        final AtomicInteger pushes = new AtomicInteger();
        try (LinkServer server = Links.launch(Links.server().viewInterval(1, TimeUnit.HOURS)
                .viewSource(s -> pushes.incrementAndGet()), new CoreRecorder(true));
            LinkClient client = LinkClient.launch(Links.client(server, 1), new EdgeRecorder()))
        {
            Links.awaitJoined(client);
            // One push when the edge joined; the next periodic one is an hour away.
            await().atMost(PATIENCE).until(() -> pushes.get() >= 1);
            final int before = pushes.get();
            server.viewsChanged();
            await().atMost(PATIENCE).until(() -> pushes.get() > before);
        }
    }

    @Test
    void manyCommandsFromSeveralThreadsAllComeBackToTheirSenders() throws Exception
    {
        final CoreRecorder core = new CoreRecorder(true);
        final EdgeRecorder edge = new EdgeRecorder();
        final int threads = 4;
        final int perThread = 5_000;
        try (LinkServer server = Links.launch(Links.server(), core);
            LinkClient client = LinkClient.launch(Links.client(server, 1), edge))
        {
            Links.awaitJoined(client);
            final long[][] ids = new long[threads][perThread];
            final List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                final Thread sender = new Thread(() ->
                {
                    final CommandEvent command = Links.purchase(3, 0, 1, 0);
                    for (int i = 0; i < perThread; i++)
                    {
                        command.userId = thread * 1_000_000L + i;
                        command.idempotencyKey = i;
                        ids[thread][i] = Links.send(client, command);
                    }
                });
                sender.start();
                senders.add(sender);
            }
            for (final Thread sender : senders)
            {
                sender.join();
            }
            assertThat(client.linkLosses()).isZero();
            await().atMost(PATIENCE).pollInterval(10, TimeUnit.MILLISECONDS)
                .until(() -> edge.outcomes.size() + edge.unknown.size() == threads * perThread);
            assertThat(edge.unknown).isEmpty();
            assertThat(edge.repeats).hasValue(0);
            for (int t = 0; t < threads; t++)
            {
                for (int i = 0; i < perThread; i++)
                {
                    final CommandEvent outcome = edge.outcomes.get(ids[t][i]);
                    assertThat(outcome.resultUserId).isEqualTo(t * 1_000_000L + i);
                    assertThat(outcome.resultOrderId).isEqualTo(ids[t][i] + 1000);
                }
            }
            // Each sending thread's commands reach the core in the order it sent them.
            final long[] next = new long[threads];
            for (final CoreRecorder.Received received : core.commands())
            {
                final int thread = (int)(received.command().userId / 1_000_000L);
                assertThat(received.command().userId % 1_000_000L).isEqualTo(next[thread]++);
            }
            assertThat(server.commandsReceived()).isEqualTo(threads * perThread);
            assertThat(client.commandsSent()).isEqualTo(threads * perThread);
            assertThat(client.commandsInFlight()).isZero();
        }
    }
}
