package rtunnel.web;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The server's domains ({@code --domain}) and the names clients may own under them. A name without a dot
 * is a label under the first domain; a full name must lie under one of them. Pure.
 */
public record DomainNames(List<String> domains) {

    /** DNS limits (RFC 1035): 63 bytes a label, 253 a name; letters, digits and hyphens. */
    private static final Pattern NAME = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*"
            + "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public DomainNames {
        domains = domains.stream().map(domain -> domain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "")).toList();
        for (String domain : domains) {
            if (!NAME.matcher(domain).matches()) {
                throw new IllegalArgumentException("'" + domain + "' is not a domain name");
            }
        }
    }

    /**
     * The full name {@code asked} stands for.
     *
     * @throws IllegalArgumentException with the refusal's reason when it is no name or outside the domains
     */
    public String fullName(String asked) {
        String name = asked.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + asked + "' is not a host name");
        }
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("the server serves no domain (--domain)");
        }
        if (!name.contains(".")) {
            name = name + "." + domains.get(0);
        }
        for (String domain : domains) {
            if (name.endsWith("." + domain)) {
                return name;
            }
        }
        throw new IllegalArgumentException("name " + name + " is outside the server's domains");
    }
}
