package io.flashsale.http.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.time.Instant;

/**
 * Signs HS256 tokens with the server's secret: the demo's token endpoint, the admin token the
 * demo prints, tests and benchmarks. A production deployment mints tokens in its identity
 * service with the same secret. Any thread.
 */
public final class TokenIssuer
{
    private final Algorithm algorithm;

    public TokenIssuer(final byte[] secret)
    {
        this.algorithm = Algorithm.HMAC256(secret);
    }

    public String issue(final String subject, final Role role, final Instant expiresAt)
    {
        return JWT.create()
            .withSubject(subject)
            .withClaim("role", role.claim())
            .withExpiresAt(expiresAt)
            .sign(algorithm);
    }
}
