package io.flashsale.engine.order;

/** The life of an order: RESERVED, then exactly one of PAID, CANCELLED or EXPIRED. */
public enum OrderState
{
    RESERVED(1),
    PAID(2),
    CANCELLED(3),
    EXPIRED(4);

    private static final OrderState[] BY_CODE = {null, RESERVED, PAID, CANCELLED, EXPIRED};

    private final byte code;

    OrderState(final int code)
    {
        this.code = (byte)code;
    }

    public byte code()
    {
        return code;
    }

    public static OrderState fromCode(final int code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
