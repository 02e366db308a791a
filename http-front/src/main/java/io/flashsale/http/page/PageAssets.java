package io.flashsale.http.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shopper page's files, read once from the class path ({@code web/}) at start-up and kept in
 * memory. Each asset is published under a name that carries a hash of its content
 * ({@code /assets/app.3f9c0a1b2d4e.js}), so a CDN and browsers may keep it for a year: a new
 * build gets new names. The HTML is rendered once from {@code web/index.html}, with the versioned
 * names, an import map from the plain module names to the versioned ones (so modules can import
 * each other by their plain names), and the mode (demo or shop). Nothing is fetched from outside
 * the server and nothing needs a build step: the files are plain modern JavaScript and CSS.
 *
 * <p>Immutable once loaded; any thread.
 */
public final class PageAssets
{
    /** Where the files live on the class path. */
    static final String ROOT = "web/";
    /** The URL folder of the versioned assets. */
    static final String ASSETS_PATH = "/assets/";
    /** The files under {@code web/assets/}: a fixed list, because a jar cannot be listed cheaply. */
    static final List<String> FILES = List.of("app.js", "clock.js", "api.js", "app.css", "favicon.svg");

    private final Map<String, PageFile> byVersionedName;
    private final PageFile html;
    private final String importMapHash;

    private PageAssets(final Map<String, PageFile> byVersionedName, final PageFile html, final String importMapHash)
    {
        this.byVersionedName = byVersionedName;
        this.html = html;
        this.importMapHash = importMapHash;
    }

    /**
     * Reads and versions every file. Call once at start-up.
     *
     * @param demo whether the server runs in demo mode (the page then offers demo sign-in)
     * @throws IllegalStateException when a file is missing from the class path (a broken build)
     */
    public static PageAssets load(final boolean demo)
    {
        final Map<String, PageFile> byVersionedName = new LinkedHashMap<>();
        final Map<String, String> pathByName = new LinkedHashMap<>();
        for (final String name : FILES)
        {
            final byte[] bytes = read(ROOT + "assets/" + name);
            final String versioned = versionedName(name, bytes);
            byVersionedName.put(versioned, new PageFile(contentType(name), bytes, etag(bytes)));
            pathByName.put(name, ASSETS_PATH + versioned);
        }

        final String importMap = importMap(pathByName);
        String text = new String(read(ROOT + "index.html"), StandardCharsets.UTF_8)
            .replace("{{mode}}", demo ? "demo" : "shop")
            .replace("{{importmap}}", importMap);
        for (final Map.Entry<String, String> entry : pathByName.entrySet())
        {
            text = text.replace("{{asset:" + entry.getKey() + "}}", entry.getValue());
        }
        if (text.contains("{{"))
        {
            throw new IllegalStateException("web/index.html names something PageAssets does not know: " +
                text.substring(text.indexOf("{{"), Math.min(text.length(), text.indexOf("{{") + 40)));
        }
        final byte[] htmlBytes = text.getBytes(StandardCharsets.UTF_8);
        final String importMapHash = Base64.getEncoder().encodeToString(sha256(importMap.getBytes(StandardCharsets.UTF_8)));
        return new PageAssets(Map.copyOf(byVersionedName), new PageFile("text/html; charset=utf-8", htmlBytes, etag(htmlBytes)), importMapHash);
    }

    /** The rendered page. */
    public PageFile html()
    {
        return html;
    }

    /** The asset under its versioned name (e.g. {@code app.3f9c0a1b2d4e.js}), or null for any other name. */
    public PageFile asset(final String versionedName)
    {
        return byVersionedName.get(versionedName);
    }

    /** Every versioned asset name, for tests and logs. */
    public List<String> versionedNames()
    {
        return List.copyOf(byVersionedName.keySet());
    }

    /**
     * The page's Content-Security-Policy: everything from this server only; the one inline script
     * (the import map) allowed by its hash. No {@code frame-ancestors}, so a host shop may embed it.
     */
    public String contentSecurityPolicy()
    {
        return "default-src 'self'; script-src 'self' 'sha256-" + importMapHash + "'; style-src 'self'; " +
            "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'";
    }

    /** {@code app.js} with content hash {@code 3f9c…} becomes {@code app.3f9c0a1b2d4e.js}. */
    static String versionedName(final String name, final byte[] bytes)
    {
        final String hash = HexFormat.of().formatHex(sha256(bytes)).substring(0, 12);
        final int dot = name.lastIndexOf('.');
        return name.substring(0, dot) + "." + hash + name.substring(dot);
    }

    /** Maps the URL a module imports by plain name ({@code ./clock.js} from an asset) to its versioned URL. */
    private static String importMap(final Map<String, String> pathByName)
    {
        final StringBuilder json = new StringBuilder("{\"imports\":{");
        boolean first = true;
        for (final Map.Entry<String, String> entry : pathByName.entrySet())
        {
            if (!entry.getKey().endsWith(".js"))
            {
                continue;
            }
            json.append(first ? "" : ",").append('"').append(ASSETS_PATH).append(entry.getKey()).append("\":\"")
                .append(entry.getValue()).append('"');
            first = false;
        }
        return json.append("}}").toString();
    }

    private static String contentType(final String name)
    {
        if (name.endsWith(".js"))
        {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css"))
        {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".svg"))
        {
            return "image/svg+xml";
        }
        throw new IllegalStateException("no content type known for " + name);
    }

    private static String etag(final byte[] bytes)
    {
        return "\"" + HexFormat.of().formatHex(sha256(bytes)).substring(0, 20) + "\"";
    }

    private static byte[] read(final String resource)
    {
        try (InputStream in = PageAssets.class.getClassLoader().getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalStateException("the shopper page's " + resource + " is missing from the class path");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + resource, ex);
        }
    }

    private static byte[] sha256(final byte[] bytes)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }
}
