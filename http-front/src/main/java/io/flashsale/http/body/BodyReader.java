package io.flashsale.http.body;

import io.flashsale.http.api.RequestState;

/**
 * Validates one route's complete body into the request's fields, or throws with what the client
 * got wrong. {@link ReadBody} calls it once the body is in; {@link BodyReaders} has one per route.
 * IO threads.
 */
@FunctionalInterface
public interface BodyReader
{
    void read(RequestState request, byte[] body) throws BadRequest;
}
