package io.flashsale.http.reply;

import io.flashsale.engine.command.Outcome;

/**
 * Every error the API answers, as an RFC 9457 problem: the HTTP status, a stable {@code type} URI
 * and the {@code outcome} name clients can switch on. Engine outcomes keep their engine names;
 * the front adds its own (auth, limits, admission, parsing). The README's table is this enum.
 */
public enum Problem
{
    INVALID(400, "invalid-request", "The request is not valid"),
    UNAUTHENTICATED(401, "unauthenticated", "A valid bearer token is required"),
    TOKEN_EXPIRED(401, "token-expired", "The bearer token has expired"),
    FORBIDDEN(403, "forbidden", "This token's role may not use this route"),
    NOT_OWNER(403, "not-owner", "The order belongs to another shopper"),
    BAD_PURCHASE_KEY(403, "bad-purchase-key", "The purchase key is not this shopper's key for this sale"),
    UNKNOWN_SALE(404, "unknown-sale", "No such sale"),
    UNKNOWN_ORDER(404, "unknown-order", "No such order"),
    NOT_FOUND(404, "not-found", "No such route"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "The route does not accept this method"),
    REQUEST_TIMEOUT(408, "request-timeout", "The request body did not arrive in time"),
    LIMIT_REACHED(409, "limit-reached", "The per-shopper limit of this sale is reached"),
    ALREADY_PAID(409, "already-paid", "The order is already paid"),
    ALREADY_CANCELLED(409, "already-cancelled", "The order is already cancelled"),
    SOLD_OUT(410, "sold-out", "The sale is sold out"),
    ENDED(410, "sale-ended", "The sale has ended"),
    EXPIRED(410, "order-expired", "The order's payment window has closed"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "The request body must be application/json"),
    NOT_STARTED(425, "not-started", "The sale has not started yet"),
    RATE_LIMITED(429, "rate-limited", "Too many requests; retry later"),
    NOT_ADMITTED(503, "not-admitted", "Demand is high and this attempt was not admitted; retry later"),
    BUSY(503, "busy", "The server is at capacity; retry later"),
    NOT_READY(503, "not-ready", "The server is still starting (recovering its state)"),
    SHUTTING_DOWN(503, "shutting-down", "The server is shutting down"),
    JOURNAL_FULL(503, "journal-full", "The journal's disk is nearly full; nothing was done: retry later"),
    JOURNAL_FAILED(503, "journal-failed", "The journal could not record the command; nothing was done"),
    ENGINE_ERROR(503, "engine-error", "The server failed while handling this command and is restarting; whether it took effect is not known here: retry (with the same Idempotency-Key) once it is ready"),
    CORE_UNAVAILABLE(503, "core-unavailable", "This edge cannot reach the core; retry shortly"),
    OUTCOME_UNKNOWN(503, "outcome-unknown", "The link to the core was lost before its answer came: whether the command took effect is not known here; retry with the same Idempotency-Key"),
    NOT_STANDBY(409, "not-standby", "This node is not a standby; only a standby can be promoted"),
    PROMOTION_FAILED(503, "promotion-failed", "The standby could not be promoted; it may have stopped following its primary"),
    STANDBY(503, "standby", "This node is a hot standby: it serves reads; send writes to the primary"),
    REPLICATION_STALLED(503, "replication-stalled", "The primary lost its standby and acknowledges nothing until a standby is in sync again"),
    NOT_REPLICATED(503, "not-replicated", "The standby was lost before it acknowledged this command: whether it survives a failover is not known; retry with the same Idempotency-Key"),
    INTERNAL_ERROR(500, "internal-error", "Unexpected server error");

    public static final String TYPE_PREFIX = "https://flashsale.dev/problems/";

    private final int status;
    private final String type;
    private final String title;

    Problem(final int status, final String slug, final String title)
    {
        this.status = status;
        this.type = TYPE_PREFIX + slug;
        this.title = title;
    }

    public int status()
    {
        return status;
    }

    public String type()
    {
        return type;
    }

    public String title()
    {
        return title;
    }

    /** The value of the problem's {@code outcome} field. */
    public String outcome()
    {
        return name();
    }

    /** Whether the answer carries Retry-After. */
    public boolean retryable()
    {
        return status == 429 || status == 503;
    }

    /** The problem for an engine or pipeline outcome that is not a success. */
    public static Problem of(final Outcome outcome)
    {
        return switch (outcome)
        {
            case SOLD_OUT -> SOLD_OUT;
            case NOT_STARTED -> NOT_STARTED;
            case ENDED -> ENDED;
            case EXPIRED -> EXPIRED;
            case LIMIT_REACHED -> LIMIT_REACHED;
            case UNKNOWN_SALE -> UNKNOWN_SALE;
            case UNKNOWN_ORDER -> UNKNOWN_ORDER;
            case NOT_OWNER -> NOT_OWNER;
            case INVALID -> INVALID;
            case BUSY -> BUSY;
            case ALREADY_PAID -> ALREADY_PAID;
            case ALREADY_CANCELLED -> ALREADY_CANCELLED;
            case SHUTTING_DOWN -> SHUTTING_DOWN;
            case JOURNAL_FAILED -> JOURNAL_FAILED;
            case CORE_UNAVAILABLE -> CORE_UNAVAILABLE;
            case OUTCOME_UNKNOWN -> OUTCOME_UNKNOWN;
            case NOT_REPLICATED -> NOT_REPLICATED;
            case JOURNAL_FULL -> JOURNAL_FULL;
            case STANDBY -> STANDBY;
            case REPLICATION_STALLED -> REPLICATION_STALLED;
            default -> ENGINE_ERROR;
        };
    }
}
