package io.flashsale.http.body;

import io.flashsale.http.reply.Problem;

/** A client mistake found while reading a request; becomes a 400 (or the given problem) with this detail. */
public final class BadRequest extends Exception
{
    public final Problem problem;

    public BadRequest(final String detail)
    {
        this(Problem.INVALID, detail);
    }

    public BadRequest(final Problem problem, final String detail)
    {
        super(detail, null, false, false);
        this.problem = problem;
    }
}
