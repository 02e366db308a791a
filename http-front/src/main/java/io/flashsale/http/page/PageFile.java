package io.flashsale.http.page;

import java.nio.ByteBuffer;

/**
 * One file of the shopper page as it is served: content type, bytes and entity tag. Immutable;
 * any thread ({@link #body()} hands each caller its own view of the shared bytes).
 */
public final class PageFile
{
    private final String contentType;
    private final ByteBuffer bytes;
    private final String etag;

    PageFile(final String contentType, final byte[] bytes, final String etag)
    {
        this.contentType = contentType;
        this.bytes = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        this.etag = etag;
    }

    public String contentType()
    {
        return contentType;
    }

    public String etag()
    {
        return etag;
    }

    public int length()
    {
        return bytes.capacity();
    }

    /** A fresh read-only view of the bytes, positioned at the start. */
    public ByteBuffer body()
    {
        return bytes.duplicate();
    }
}
