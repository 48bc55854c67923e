# Varnish 7 in front of the newsroom GraphQL server (Debian 12: apt-get install varnish varnish-modules).
#
#   varnishd -a :80 -f /path/to/deploy/varnish/default.vcl -s malloc,256m
#
# Caches what the origin itself marks `Cache-Control: public` (anonymous GET queries of /graphql)
# for its max-age, serves it stale for its stale-while-revalidate while it refetches, and
# revalidates with the origin's ETag. Requests with an Authorization header, every method but
# GET and HEAD, and anything else the origin does not call public go straight through: among
# them every answer read with a preview link's token (`articlePreview`), which the origin marks
# `private, no-store` whoever asks, so its URL (token included) is never answered from here.
# Each Origin header gets its own copies (see vcl_hash): CORS answers name the asking origin.
#
# Purges: each server instance with CACHE_PURGE_URL=http://<this varnish>/ sends, for every change
# it reads from the event log,
#
#   PURGE / HTTP/1.1
#   xkey-purge: Article Tag
#
# and every object whose `xkey` header names one of those tags is dropped at once (a hard purge:
# a soft purge would leave the old page to be served once more during grace, and the next read
# after a publish must show it). Only addresses in the `purgers` ACL below may purge; anyone else
# gets 403.
#
# Edit the backend and the ACL for your site (the test suite writes its own copy with its port).

vcl 4.1;

import xkey;

backend origin {
    .host = "127.0.0.1";
    .port = "4000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # graphql-ws connections are piped (see vcl_pipe) and may stay idle between keepalives.
    .between_bytes_timeout = 60s;
}

# Who may purge: the server instances. Add their addresses or subnets.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from this address"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the tags to purge in the xkey-purge header"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged + " objects"));
    }

    # graphql-ws live feeds share the /graphql path: hand the connection through untouched.
    if (req.http.upgrade ~ "(?i)websocket") {
        return (pipe);
    }

    # An answer to a token is the token holder's alone; the origin marks it private, no-store,
    # and it must never be looked up in, or stored into, what anonymous readers are served.
    if (req.http.authorization) {
        set req.http.x-cache = "pass";
        return (pass);
    }
    # POST may carry mutations and is never cached; the origin answers it no-store anyway.
    if (req.method != "GET" && req.method != "HEAD") {
        set req.http.x-cache = "pass";
        return (pass);
    }

    # The server reads no cookies; a site's analytics cookies on the same host would otherwise
    # make the built-in VCL pass every request.
    unset req.http.cookie;
    return (hash);
}

sub vcl_hash {
    # CORS: with CORS_ORIGINS listing origins, an answer carries the asking page's own
    # Access-Control-Allow-Origin, or none for an unlisted origin or a request without Origin, so
    # every Origin needs a copy of its own. The server says so (Vary: Origin, which Varnish honours
    # by keeping variants of one object); hashing on Origin too keeps the copies apart even for an
    # answer that forgot to say it, and gives each Origin its own bucket, so invented Origin values
    # cannot lengthen the list of variants every reader's request is matched against.
    # Origin is not narrowed to the allowed origins here: this file cannot know CORS_ORIGINS, and
    # a copy of the list would drift (an origin missing from it would lose CORS on its site). An
    # unlisted Origin costs one more copy, as any other changed request (a query string) already can.
    # With CORS_ORIGINS=* every Origin gets the same answer (`*`): its copies are mere duplicates.
    if (req.http.origin) {
        hash_data(req.http.origin);
    }
    # The built-in vcl_hash follows: the URL and Host, then the lookup.
}

sub vcl_pipe {
    if (req.http.upgrade) {
        set bereq.http.upgrade = req.http.upgrade;
        set bereq.http.connection = req.http.connection;
    }
}

sub vcl_hit {
    if (obj.ttl >= 0s) {
        set req.http.x-cache = "hit";
    } else {
        # Within grace (the origin's stale-while-revalidate): served while a fetch refreshes it.
        set req.http.x-cache = "hit-stale";
    }
}

sub vcl_miss {
    set req.http.x-cache = "miss";
}

sub vcl_pass {
    if (!req.http.x-cache) {
        set req.http.x-cache = "pass";
    }
}

sub vcl_backend_response {
    # Only what the origin calls public is shared (anything with private, no-store or no-cache,
    # or without public — errors, the playground, /metrics — is not). Varnish sets the TTL from
    # max-age and the grace from stale-while-revalidate itself.
    if (!bereq.uncacheable &&
        (beresp.http.cache-control !~ "(?i)(^|,)\s*public\s*(,|$)" ||
         beresp.http.cache-control ~ "(?i)(private|no-store|no-cache)")) {
        # Hit-for-miss, not hit-for-pass: the next answer for this URL may be cacheable again.
        set beresp.uncacheable = true;
        set beresp.ttl = 5s;
        return (deliver);
    }
    # Past grace, keep the object a while so the refetch can be a conditional request
    # (If-None-Match with its ETag, answered 304 when nothing changed).
    set beresp.keep = 60s;
}

sub vcl_deliver {
    set resp.http.x-cache = req.http.x-cache;
}
