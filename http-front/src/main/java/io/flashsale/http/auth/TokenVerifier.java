package io.flashsale.http.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * Verifies HS256 bearer tokens with java-jwt and remembers the tokens it has accepted.
 *
 * <p>Verification (base64, JSON, HMAC) costs microseconds; a crowd re-sends the same token many
 * times, so accepted tokens are cached by their exact text (signature included, so a tampered
 * token never matches). A cached token is still checked against its {@code exp} on every use, so
 * the cache never lets an expired token through. Rejections are not cached: a flood of garbage
 * must not evict the good entries.
 *
 * <p>Any thread (IO threads): the java-jwt verifier and the Caffeine cache are thread-safe.
 */
public final class TokenVerifier
{
    private final JWTVerifier verifier;
    private final Cache<String, Principal> accepted;
    private final LongSupplier clockMillis;

    /**
     * @param secret      the HS256 key
     * @param cacheSize   accepted tokens kept; 0 disables the cache
     * @param clockMillis the server clock, epoch milliseconds (tests move it)
     */
    public TokenVerifier(final byte[] secret, final int cacheSize, final LongSupplier clockMillis)
    {
        this.clockMillis = clockMillis;
        final Clock clock = new Clock()
        {
            @Override
            public ZoneOffset getZone()
            {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(final java.time.ZoneId zone)
            {
                return this;
            }

            @Override
            public Instant instant()
            {
                return Instant.ofEpochMilli(clockMillis.getAsLong());
            }
        };
        // HMAC256 pins the algorithm: "alg":"none" or any other alg fails with AlgorithmMismatchException.
        this.verifier = ((JWTVerifier.BaseVerification)JWT.require(Algorithm.HMAC256(secret))
            .withClaimPresence("sub")
            .withClaimPresence("exp")
            .withClaimPresence("role"))
            .build(clock);
        this.accepted = cacheSize > 0 ? Caffeine.newBuilder().maximumSize(cacheSize).build() : null;
    }

    /**
     * Verifies the value of an {@code Authorization} header.
     *
     * @return the principal, or an {@link AuthFailure} saying why not
     */
    public Object verifyHeader(final String authorization)
    {
        if (authorization == null || authorization.length() < 8 ||
            !authorization.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            return AuthFailure.MISSING;
        }
        final String token = authorization.substring(7).trim();
        if (token.isEmpty())
        {
            return AuthFailure.MISSING;
        }
        return verify(token);
    }

    /** @return the principal, or an {@link AuthFailure} saying why not */
    public Object verify(final String token)
    {
        if (accepted != null)
        {
            final Principal known = accepted.getIfPresent(token);
            if (known != null)
            {
                return known.expiredAt(clockMillis.getAsLong()) ? AuthFailure.EXPIRED : known;
            }
        }
        final Object result = verifyUncached(token);
        if (accepted != null && result instanceof Principal principal)
        {
            accepted.put(token, principal);
        }
        return result;
    }

    private Object verifyUncached(final String token)
    {
        final DecodedJWT jwt;
        try
        {
            jwt = verifier.verify(token);
        }
        catch (final TokenExpiredException ex)
        {
            return AuthFailure.EXPIRED;
        }
        catch (final AlgorithmMismatchException ex)
        {
            return AuthFailure.ALGORITHM;
        }
        catch (final SignatureVerificationException ex)
        {
            return AuthFailure.SIGNATURE;
        }
        catch (final JWTDecodeException ex)
        {
            return AuthFailure.MALFORMED;
        }
        catch (final JWTVerificationException ex)
        {
            return AuthFailure.CLAIMS;
        }
        final String subject = jwt.getSubject();
        final Role role = Role.fromClaim(jwt.getClaim("role").asString());
        final Instant expiresAt = jwt.getExpiresAtAsInstant();
        if (subject == null || subject.isBlank() || subject.length() > 256 || role == null || expiresAt == null)
        {
            return AuthFailure.CLAIMS;
        }
        final Principal principal = new Principal(subject, ShopperIds.userId(subject), role, expiresAt.toEpochMilli());
        // java-jwt compares exp at second granularity; hold the cached entry to the same rule as a hit.
        return principal.expiredAt(clockMillis.getAsLong()) ? AuthFailure.EXPIRED : principal;
    }
}
