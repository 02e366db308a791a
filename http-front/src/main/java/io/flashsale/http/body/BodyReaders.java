package io.flashsale.http.body;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.reply.Problem;

import java.time.Instant;
import java.util.Set;

/**
 * The body of each route that takes one, validated strictly: types, ranges, required and unknown
 * fields. Each failure names the field and the rule. Stateless; IO threads.
 */
public final class BodyReaders
{
    public static final int MAX_PURCHASE_KEY_CHARS = 64;
    public static final long MAX_PAYMENT_WINDOW_SECONDS = 7 * 24 * 3600;
    public static final long MAX_PER_USER_LIMIT = 1_000_000;

    private BodyReaders()
    {
    }

    /** {"qty": 1..perUserLimit, "key": the shopper's purchase key}. Needs the sale gate before it. */
    public static BodyReader purchase(final FrontContext context)
    {
        final Set<String> allowed = Set.of("qty", "key");
        return (request, body) -> {
            if (!CanonicalPurchaseBody.read(body, request.sale.perUserLimit, MAX_PURCHASE_KEY_CHARS, request))
            {
                final JsonFields fields = JsonFields.parse(body, allowed);
                request.qty = (int)fields.requireLong("qty", 1, request.sale.perUserLimit);
                request.purchaseKey = fields.requireString("key", MAX_PURCHASE_KEY_CHARS);
            }
            if (!context.purchaseKeys().matches(request.sale.id, request.principal.userId(), request.purchaseKey))
            {
                throw new BadRequest(Problem.BAD_PURCHASE_KEY,
                    "the key is not your purchase key for sale " + request.sale.id + "; get it from GET /api/sales/" + request.sale.id + "/key");
            }
        };
    }

    /** {"paymentRef": 1..128 bytes}. */
    public static BodyReader pay()
    {
        final Set<String> allowed = Set.of("paymentRef");
        return (request, body) -> request.paymentRef = JsonFields.parse(body, allowed).requireString("paymentRef", CommandEvent.MAX_TEXT_BYTES);
    }

    /** No body, or {}. */
    public static BodyReader cancel()
    {
        return (request, body) -> JsonFields.parse(body, Set.of());
    }

    /** The admin's new sale; cross-field rules are checked here so the engine never sees nonsense. */
    public static BodyReader newSale()
    {
        final Set<String> allowed = Set.of("name", "stock", "startsAt", "endsAt", "perUserLimit", "paymentWindowSeconds");
        return (request, body) -> {
            final JsonFields fields = JsonFields.parse(body, allowed);
            fields.requireString("name", CommandEvent.MAX_TEXT_BYTES);
            fields.requireLong("stock", 1, Integer.MAX_VALUE);
            final Instant startsAt = fields.requireInstant("startsAt");
            final Instant endsAt = fields.requireInstant("endsAt");
            fields.requireLong("perUserLimit", 1, MAX_PER_USER_LIMIT);
            fields.requireLong("paymentWindowSeconds", 1, MAX_PAYMENT_WINDOW_SECONDS);
            if (!endsAt.isAfter(startsAt))
            {
                throw new BadRequest("field 'endsAt' must be after 'startsAt'");
            }
            if (startsAt.isBefore(Instant.ofEpochMilli(0)) || endsAt.isAfter(Instant.parse("9999-12-31T23:59:59Z")))
            {
                throw new BadRequest("'startsAt' and 'endsAt' must lie between 1970 and 9999");
            }
            request.body = fields;
        };
    }

    /** Demo only: {"name": "alice"}, letters, digits and . _ - @, up to 64 characters. */
    public static BodyReader demoToken()
    {
        final Set<String> allowed = Set.of("name");
        return (request, body) -> {
            final JsonFields fields = JsonFields.parse(body, allowed);
            final String name = fields.requireString("name", 64);
            if (!name.matches("[A-Za-z0-9._@-]{1,64}"))
            {
                throw new BadRequest("field 'name' may hold only letters, digits and . _ - @");
            }
            request.body = fields;
        };
    }
}
