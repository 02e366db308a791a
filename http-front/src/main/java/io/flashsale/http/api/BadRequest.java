package io.flashsale.http.api;

/** A client mistake found while reading a request; becomes a 400 (or the given problem) with this detail. */
final class BadRequest extends Exception
{
    final Problem problem;

    BadRequest(final String detail)
    {
        this(Problem.INVALID, detail);
    }

    BadRequest(final Problem problem, final String detail)
    {
        super(detail, null, false, false);
        this.problem = problem;
    }
}
