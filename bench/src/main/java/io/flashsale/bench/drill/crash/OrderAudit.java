package io.flashsale.bench.drill.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.bench.load.Answer;
import io.flashsale.bench.load.LoadRequest;
import io.flashsale.bench.load.Workload;
import io.flashsale.bench.scenario.Crowd;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * After a restart: asks the server for every acknowledged order ({@code GET /api/orders/{id}} as
 * its owner) and compares the answer with what the client was told. An order that is missing,
 * belongs to another sale, has another quantity or payment deadline, or is in a state the
 * acknowledgements do not allow is lost. A 503 is asked again a little later; an order never answered is unchecked.
 *
 * <p>Arrival {@code i} is order {@code i} of the list. Loop thread only; results are read after the run.
 */
final class OrderAudit implements Workload
{
    static final String STEP = "audit";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TRIES = 20;

    private final List<Ack> acks;
    private final Crowd crowd;
    final List<String> lost = new ArrayList<>();
    long confirmed;
    long unchecked;

    OrderAudit(final List<Ack> acks, final Crowd crowd)
    {
        this.acks = acks;
        this.crowd = crowd;
    }

    @Override
    public LoadRequest arrive(final long index)
    {
        return request(index, 0);
    }

    private LoadRequest request(final long index, final int tries)
    {
        final Ack ack = acks.get((int)index);
        return new LoadRequest(STEP, HttpMethod.GET, "/api/orders/" + ack.orderId, crowd.authorization(ack.shopper), null,
            index, tries);
    }

    @Override
    public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps followUps)
    {
        final Ack ack = acks.get((int)request.shopper);
        if (answer.status() == 503 && request.tag + 1 < MAX_TRIES)
        {
            followUps.after(100_000_000L, request(request.shopper, (int)request.tag + 1));
            return "503 (asked again)";
        }
        if (answer.status() != 200)
        {
            lost.add("order " + ack.orderId + " (acknowledged " + ack.acknowledged() + " in cycle " + ack.cycle + "): "
                + answer.status() + " " + answer.body());
            return Integer.toString(answer.status());
        }
        final long now = System.currentTimeMillis();
        final JsonNode order;
        try
        {
            order = JSON.readTree(answer.body());
        }
        catch (final IOException ex)
        {
            lost.add("order " + ack.orderId + ": 200 with a body that is not JSON: " + answer.body());
            return "200 (not JSON)";
        }
        final String state = order.path("state").asText();
        if (order.path("orderId").asLong() != ack.orderId || order.path("saleId").asLong() != ack.saleId
            || order.path("qty").asInt() != ack.qty || deadlineMillis(order) != ack.deadlineMillis || !ack.allows(state, now))
        {
            lost.add("order " + ack.orderId + " (sale " + ack.saleId + ", qty " + ack.qty + ", acknowledged " + ack.acknowledged()
                + ", deadline " + Instant.ofEpochMilli(ack.deadlineMillis) + (ack.payAsked ? ", pay asked" : "") + (ack.cancelAsked ? ", cancel asked" : "") + ") is now " + answer.body());
            return "200 WRONG";
        }
        confirmed++;
        return "200 " + state;
    }

    private static long deadlineMillis(final JsonNode order)
    {
        try
        {
            return Instant.parse(order.path("paymentDeadline").asText()).toEpochMilli();
        }
        catch (final DateTimeParseException ex)
        {
            return -1;
        }
    }

    @Override
    public void onError(final LoadRequest request, final String error, final FollowUps followUps)
    {
        unchecked++;
    }
}
