package io.flashsale.http.auth;

/** What a token lets its bearer do: shop, or run sales. */
public enum Role
{
    SHOPPER("shopper"),
    ADMIN("admin");

    private final String claim;

    Role(final String claim)
    {
        this.claim = claim;
    }

    /** The value of the token's {@code role} claim. */
    public String claim()
    {
        return claim;
    }

    /** The role for a claim value, or null for anything else. */
    public static Role fromClaim(final String value)
    {
        if (SHOPPER.claim.equals(value))
        {
            return SHOPPER;
        }
        return ADMIN.claim.equals(value) ? ADMIN : null;
    }
}
