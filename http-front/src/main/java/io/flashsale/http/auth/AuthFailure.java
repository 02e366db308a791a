package io.flashsale.http.auth;

/** Why a bearer token was not accepted; each becomes a 401 with its own detail. */
public enum AuthFailure
{
    MISSING("no bearer token: send 'Authorization: Bearer <token>'"),
    MALFORMED("the bearer token is not a well-formed JWT"),
    ALGORITHM("the token must be signed with HS256"),
    SIGNATURE("the token's signature does not verify"),
    EXPIRED("the token has expired"),
    CLAIMS("the token lacks a valid 'sub', 'exp' or 'role' claim");

    private final String detail;

    AuthFailure(final String detail)
    {
        this.detail = detail;
    }

    public String detail()
    {
        return detail;
    }
}
