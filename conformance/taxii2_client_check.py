#!/usr/bin/env python3
"""Interoperability check: OASIS's own TAXII 2.1 client against an Entente node.

Drives an Entente node through ``taxii2-client`` (the OASIS CTI TC's Python client,
module ``taxii2client``), used as a library, and prints one PASS/FAIL line per check.
Exits 0 when every check passed, 1 when any failed, 2 when it could not start.

    python3 conformance/taxii2_client_check.py --url http://127.0.0.1:8420 \
        --user admin --password '...'

The URL, user and password may also come from ENTENTE_URL, ENTENTE_USER and
ENTENTE_PASSWORD (ENTENTE_ADMIN_USER / ENTENTE_ADMIN_PASSWORD are used as fallbacks).
The client is NOT part of this repository: see conformance/README.md.

The objects it adds are fresh STIX 2.1 indicators with random ids; it deletes them again
at the end unless --keep is given.
"""

import argparse
import collections
import datetime
import json
import os
import sys
import traceback
import uuid

try:
    import requests
    import taxii2client
    from taxii2client.exceptions import TAXIIServiceException
    from taxii2client.v21 import ApiRoot, Collection, Server, Status, as_pages
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        "cannot import the TAXII client (%s).\n"
        "Install it with 'pip install taxii2-client' or put a checkout of\n"
        "https://github.com/oasis-open/cti-taxii-client on PYTHONPATH; see conformance/README.md.\n" % e)
    sys.exit(2)

TAXII_21 = "application/taxii+json;version=2.1"
STIX_21 = "application/stix+json;version=2.1"

# ---------------------------------------------------------------- HTTP transcript
# Every request the client makes is recorded, so that a failing check can show exactly what
# was sent and what came back.  This wraps requests.Session.send; the client is untouched.

_exchanges = collections.deque(maxlen=6)
_original_send = requests.Session.send


def _recording_send(self, request, **kwargs):
    try:
        response = _original_send(self, request, **kwargs)
    except Exception as e:
        _exchanges.append((request, None, repr(e)))
        raise
    _exchanges.append((request, response, None))
    return response


requests.Session.send = _recording_send


def _clip(text, limit=1500):
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + " ... (%d more characters)" % (len(text) - limit)


def _describe_exchange(request, response, error):
    lines = ["    request:  %s %s" % (request.method, request.url)]
    for h in ("Accept", "Content-Type"):
        if h in request.headers:
            lines.append("              %s: %s" % (h, request.headers[h]))
    if request.body:
        lines.append("              body: %s" % _clip(request.body, 600))
    if response is None:
        lines.append("    response: none (%s)" % error)
    else:
        lines.append("    response: HTTP %d %s" % (response.status_code, response.reason))
        for h in ("Content-Type", "Content-Range", "X-TAXII-Date-Added-First", "X-TAXII-Date-Added-Last"):
            if h in response.headers:
                lines.append("              %s: %s" % (h, response.headers[h]))
        if response.content:
            lines.append("              body: %s" % _clip(response.content))
    return "\n".join(lines)


# ---------------------------------------------------------------- reporting

class Failed(Exception):
    """A check's expectation was not met."""


class Skipped(Exception):
    """A check could not run because something it needs failed before."""


def expect(condition, message, *args):
    if not condition:
        raise Failed(message % args if args else message)


class Report(object):
    def __init__(self, verbose):
        self.verbose = verbose
        self.results = []  # (name, outcome)

    def run(self, name, func, *args):
        """Runs one check; returns its value, or None when it failed or was skipped."""
        _exchanges.clear()
        try:
            detail = func(*args)
        except Skipped as e:
            self._line("SKIP", name, str(e))
            return None
        except Failed as e:
            self._line("FAIL", name, str(e))
            self._transcript(last_only=True)
            return None
        except requests.HTTPError as e:
            self._line("FAIL", name, "HTTP error: %s" % e)
            self._transcript(last_only=True)
            return None
        except TAXIIServiceException as e:
            self._line("FAIL", name, "%s: %s" % (type(e).__name__, e))
            self._transcript(last_only=True)
            return None
        except Exception as e:  # a bug in the server's answers usually surfaces as one of these
            self._line("FAIL", name, "%s: %s" % (type(e).__name__, e))
            if self.verbose:
                traceback.print_exc(file=sys.stdout)
            self._transcript(last_only=True)
            return None
        value, text = detail if isinstance(detail, tuple) else (detail, "")
        self._line("PASS", name, text)
        return value if value is not None else True

    def _line(self, outcome, name, text):
        self.results.append((name, outcome))
        print("%-4s  %s%s" % (outcome, name, (" -- " + text) if text else ""))
        sys.stdout.flush()

    def _transcript(self, last_only):
        exchanges = list(_exchanges)[-1:] if last_only else list(_exchanges)
        for request, response, error in exchanges:
            print(_describe_exchange(request, response, error))

    def summary(self):
        counts = collections.Counter(outcome for _, outcome in self.results)
        print("")
        print("%d checks: %d passed, %d failed, %d skipped" % (
            len(self.results), counts["PASS"], counts["FAIL"], counts["SKIP"]))
        return counts["FAIL"] == 0 and counts["SKIP"] == 0


# ---------------------------------------------------------------- STIX test data

def stix_time(dt):
    """RFC 3339 UTC with millisecond precision, as STIX writes timestamps."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def parse_time(text):
    """A STIX/TAXII timestamp as an aware datetime (any number of fractional digits)."""
    if not isinstance(text, str) or not text.endswith("Z"):
        raise Failed("not an RFC 3339 UTC timestamp: %r" % (text,))
    main, _, frac = text[:-1].partition(".")
    dt = datetime.datetime.strptime(main, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    if frac:
        dt = dt.replace(microsecond=int((frac + "000000")[:6]))
    return dt


def indicator(name, created, modified=None, object_id=None):
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": object_id or "indicator--%s" % uuid.uuid4(),
        "created": stix_time(created),
        "modified": stix_time(modified or created),
        "name": name,
        "pattern": "[ipv4-addr:value = '198.51.100.7']",
        "pattern_type": "stix",
        "valid_from": stix_time(created),
    }


def objects_of(envelope):
    """The objects of an envelope; TAXII 2.1 omits the member when there are none."""
    objs = envelope.get("objects", [])
    expect(isinstance(objs, list), "'objects' is not a list: %r", objs)
    return objs


# ---------------------------------------------------------------- the checks

class Checks(object):
    def __init__(self, args, report):
        self.args = args
        self.report = report
        base = args.url.rstrip("/")
        self.discovery_url = base + "/" + args.discovery_path.strip("/") + "/"
        self.verify = args.ca or (not args.insecure)
        self.server = None
        self.api_root = None
        self.listed = None       # Collection from the API root's listing
        self.collection = None   # Collection opened directly by URL (its id)
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        now = now.replace(microsecond=123000)
        tag = uuid.uuid4().hex[:8]
        self.plain = [indicator("taxii2-client check %s #%d" % (tag, i), now) for i in range(5)]
        vid = "indicator--%s" % uuid.uuid4()
        self.v1 = indicator("taxii2-client check %s versioned" % tag, now, now, vid)
        self.v2 = dict(self.v1, name=self.v1["name"] + " (revised)",
                       modified=stix_time(now + datetime.timedelta(seconds=5)))
        self.first_batch = self.plain + [self.v1]
        self.all_ids = [o["id"] for o in self.first_batch]
        self.added = False
        self.deleted = set()

    # -- helpers

    def need(self, *things):
        for thing in things:
            if not thing:
                raise Skipped("depends on an earlier check that failed")

    # -- discovery, API root, collections

    def discovery(self):
        self.server = Server(self.discovery_url, user=self.args.user, password=self.args.password,
                             verify=self.verify)
        expect(self.server.title, "discovery has no title")
        roots = self.server.api_roots
        expect(roots, "discovery lists no api_roots (%r)", self.server._raw.get("api_roots"))
        wanted = [r for r in roots if r.url.rstrip("/").endswith("/" + self.args.api_root.strip("/"))]
        expect(wanted, "no API root ending in /%s/ among %s", self.args.api_root.strip("/"),
               [r.url for r in roots])
        self.api_root = wanted[0]
        default = self.server.default
        return True, "title %r, api_roots %s, default %s" % (
            self.server.title, [r.url for r in roots], default.url if default else None)

    def bad_credentials(self):
        s = Server(self.discovery_url, user=self.args.user, password=self.args.password + "-wrong",
                   verify=self.verify)
        try:
            s.refresh()
        except requests.HTTPError as e:
            code = e.response.status_code
            expect(code == 401, "wrong password answered HTTP %d, expected 401", code)
            return True, "HTTP 401"
        raise Failed("a wrong password was accepted")

    def api_root_info(self):
        self.need(self.api_root)
        r = self.api_root
        expect(r.title, "API root has no title")
        expect(TAXII_21 in [v.replace(" ", "") for v in r.versions],
               "versions %r does not include %s", r.versions, TAXII_21)
        expect(isinstance(r.max_content_length, int) and r.max_content_length > 0,
               "max_content_length %r is not a positive integer", r.max_content_length)
        return True, "title %r, versions %s, max_content_length %d" % (r.title, r.versions, r.max_content_length)

    def collections_listing(self):
        self.need(self.api_root)
        cols = self.api_root.collections
        expect(cols, "the API root lists no collections")
        by_alias = {c.alias: c for c in cols if c.alias}
        expect(self.args.collection in by_alias,
               "no collection with alias %r; aliases listed: %s", self.args.collection, sorted(by_alias))
        c = by_alias[self.args.collection]
        expect(c.can_read and c.can_write, "collection %r: can_read=%r can_write=%r (this user needs both)",
               self.args.collection, c.can_read, c.can_write)
        expect(any(m.replace(" ", "") == STIX_21 for m in c.media_types),
               "media_types %r does not include %s", c.media_types, STIX_21)
        self.listed = c
        return True, "%d collection(s): %s" % (
            len(cols), ", ".join("%s (%s)" % (x.alias or "-", x.id) for x in cols))

    def collection_by_id(self):
        self.need(self.listed)
        url = self.api_root.url + "collections/" + self.listed.id + "/"
        c = Collection(url, user=self.args.user, password=self.args.password, verify=self.verify)
        c.refresh()  # Get a Collection: GET {api-root}/collections/{id}/
        for field in ("id", "title", "alias", "can_read", "can_write"):
            expect(getattr(c, field) == getattr(self.listed, field),
                   "%s is %r by id but %r in the listing", field, getattr(c, field), getattr(self.listed, field))
        self.collection = c
        return True, "%s: title %r" % (c.id, c.title)

    # -- adding objects and status

    def add_objects(self):
        self.need(self.collection)
        envelope = {"objects": self.first_batch}
        status = self.collection.add_objects(envelope, wait_for_completion=False)
        self.added = True  # something may have been stored even if the checks below fail
        expect(isinstance(status, Status), "add_objects did not return a Status")
        expect(status.status in ("pending", "complete"), "status is %r", status.status)
        expect(status.total_count == len(self.first_batch), "total_count %r, sent %d",
               status.total_count, len(self.first_batch))
        # Status polling, as the client does it: GET on the status resource until complete.
        status.wait_until_final(poll_interval=0.5, timeout=self.args.timeout)
        status.refresh()  # at least one real poll of the status endpoint, even if complete at once
        expect(status.status == "complete", "status still %r after %ss", status.status, self.args.timeout)
        expect(status.success_count == len(self.first_batch) and status.failure_count == 0
               and status.pending_count == 0,
               "success_count=%r failure_count=%r pending_count=%r for %d objects",
               status.success_count, status.failure_count, status.pending_count, len(self.first_batch))
        ids = sorted(s.get("id") for s in status.successes)
        expect(ids == sorted(self.all_ids), "successes %r do not name the objects sent", ids)
        # The same status through Get Status on the API root.
        again = self.api_root.get_status(status.id)
        expect(again.id == status.id and again.status == "complete",
               "Get Status answered id=%r status=%r", again.id, again.status)
        return True, "%d objects, status %s complete (polled at %s)" % (
            len(self.first_batch), status.id, status.url)

    def add_second_version(self):
        self.need(self.added)
        status = self.collection.add_objects({"objects": [self.v2]}, wait_for_completion=True,
                                             poll_interval=0.5, timeout=self.args.timeout)
        expect(status.status == "complete" and status.success_count == 1,
               "status %r, success_count %r", status.status, status.success_count)
        return True, "%s modified %s" % (self.v2["id"], self.v2["modified"])

    # -- reading

    def get_object(self):
        self.need(self.added)
        sent = self.plain[0]
        env = self.collection.get_object(sent["id"])
        objs = objects_of(env)
        expect(len(objs) == 1, "expected 1 object, got %d", len(objs))
        got = objs[0]
        for k in ("type", "spec_version", "id", "name", "pattern", "pattern_type"):
            expect(got.get(k) == sent[k], "%s is %r, sent %r", k, got.get(k), sent[k])
        for k in ("created", "modified", "valid_from"):
            expect(parse_time(got.get(k)) == parse_time(sent[k]), "%s is %r, sent %r", k, got.get(k), sent[k])
        expect(env.get("more", False) is False, "more is %r for a single object", env.get("more"))
        # The latest version of the versioned object is the default.
        latest = objects_of(self.collection.get_object(self.v1["id"]))
        expect(len(latest) == 1 and parse_time(latest[0]["modified"]) == parse_time(self.v2["modified"]),
               "Get an Object without match[version] should give only the latest version, got %s",
               [o.get("modified") for o in latest])
        return True, sent["id"]

    def get_objects_by_id(self):
        self.need(self.added)
        wanted = [self.plain[1]["id"], self.plain[2]["id"]]
        env = self.collection.get_objects(id=wanted)  # match[id]=a,b
        got = sorted(o["id"] for o in objects_of(env))
        expect(got == sorted(wanted), "match[id]=%s returned %s", ",".join(wanted), got)
        # The client hands back the HTTP response itself, so the paging headers can be read too.
        for h in ("X-TAXII-Date-Added-First", "X-TAXII-Date-Added-Last"):
            expect(h in env.headers, "Get Objects answered without %s", h)
            parse_time(env.headers[h])
        return True, "2 of 2, with X-TAXII-Date-Added-First/Last"

    def added_after_and_version(self):
        self.need(self.added)
        records = objects_of(self.collection.get_manifest(id=self.all_ids))
        first = min(records, key=lambda r: parse_time(r["date_added"]))
        env = self.collection.get_objects(id=self.all_ids, added_after=first["date_added"])
        got = sorted(o["id"] for o in objects_of(env))
        want = sorted(r["id"] for r in records if r["id"] != first["id"])
        expect(got == want, "added_after=%s returned %d objects, expected the other %d",
               first["date_added"], len(got), len(want))
        oldest = objects_of(self.collection.get_object(self.v1["id"], version="first"))
        expect(len(oldest) == 1 and parse_time(oldest[0]["modified"]) == parse_time(self.v1["modified"]),
               "match[version]=first returned %s", [o.get("modified") for o in oldest])
        return True, "added_after %s: %d of %d; match[version]=first ok" % (
            first["date_added"], len(got), len(records))

    def whole_collections(self):
        self.need(self.api_root)
        notes = []
        for c in self.api_root.collections:
            if not c.can_read:
                continue
            ids = []
            for page in as_pages(c.get_objects, per_request=50):
                ids.extend(o["id"] + "|" + o.get("modified", o.get("created", "")) for o in objects_of(page))
            expect(len(ids) == len(set(ids)), "%s: %d objects repeated across pages",
                   c.alias or c.id, len(ids) - len(set(ids)))
            manifest = objects_of(c.get_manifest())
            if len(manifest) < 1000:  # one page holds the whole manifest
                expect(len(ids) == len(manifest), "%s: paging gave %d objects, the manifest lists %d",
                       c.alias or c.id, len(ids), len(manifest))
            notes.append("%s: %d objects" % (c.alias or c.id, len(ids)))
        return True, "; ".join(notes)

    def get_objects_by_type(self):
        self.need(self.added)
        env = self.collection.get_objects(type="indicator", id=self.all_ids)
        got = sorted(o["id"] for o in objects_of(env))
        expect(got == sorted(self.all_ids), "match[type]=indicator&match[id]=<ours> returned %d of %d: %s",
               len(got), len(self.all_ids), got)
        env = self.collection.get_objects(type="malware", id=self.all_ids)
        expect(not objects_of(env), "match[type]=malware returned indicators: %s",
               [o["id"] for o in objects_of(env)])
        env = self.collection.get_objects(type="indicator", limit=50)
        types = set(o.get("type") for o in objects_of(env))
        expect(types <= {"indicator"}, "match[type]=indicator returned types %s", sorted(types))
        return True, "indicator: all %d of ours; malware: none" % len(got)

    def paging(self):
        self.need(self.added)
        per = 2
        pages = list(as_pages(self.collection.get_objects, per_request=per, id=self.all_ids))
        sizes = [len(objects_of(p)) for p in pages]
        ids = [o["id"] for p in pages for o in objects_of(p)]
        expect(all(s <= per for s in sizes), "pages larger than limit=%d: %s", per, sizes)
        expect(len(ids) == len(set(ids)), "objects repeated across pages: %s", ids)
        expect(sorted(ids) == sorted(self.all_ids), "paging returned %d of %d objects", len(ids), len(self.all_ids))
        expect(len(pages) >= 3, "expected at least 3 pages of %d, got %s", per, sizes)
        for p in pages[:-1]:
            expect(p.get("more") is True and p.get("next"), "a non-final page lacks more=true/next: %s",
                   {k: p.get(k) for k in ("more", "next")})
        expect(not pages[-1].get("more", False), "the last page says more=true")
        # Manifests page the same way.
        mpages = list(as_pages(self.collection.get_manifest, per_request=per, id=self.all_ids))
        mids = [r["id"] for p in mpages for r in objects_of(p)]
        expect(sorted(mids) == sorted(self.all_ids), "manifest paging returned %s", mids)
        return True, "objects in pages of %s; manifest in %d pages" % (sizes, len(mpages))

    def manifest(self):
        self.need(self.added)
        env = self.collection.get_manifest(id=self.all_ids)
        records = objects_of(env)
        expect(sorted(r.get("id") for r in records) == sorted(self.all_ids),
               "manifest lists %s", [r.get("id") for r in records])
        for r in records:
            for k in ("id", "date_added", "version", "media_type"):
                expect(k in r, "manifest record lacks %s: %r", k, r)
            parse_time(r["date_added"])
            parse_time(r["version"])
        by_id = {r["id"]: r for r in records}
        expect(parse_time(by_id[self.v1["id"]]["version"]) == parse_time(self.v2["modified"]),
               "manifest version of the versioned object is %r, expected the latest %r",
               by_id[self.v1["id"]]["version"], self.v2["modified"])
        expect(by_id[self.plain[0]["id"]]["media_type"].replace(" ", "") == STIX_21,
               "media_type %r", by_id[self.plain[0]["id"]]["media_type"])
        return True, "%d records" % len(records)

    def versions(self):
        self.need(self.added)
        env = self.collection.object_versions(self.v1["id"])
        versions = env.get("versions", [])
        parsed = [parse_time(v) for v in versions]
        want = [parse_time(self.v1["modified"]), parse_time(self.v2["modified"])]
        expect(sorted(parsed) == want, "versions %s, expected %s and %s", versions,
               self.v1["modified"], self.v2["modified"])
        expect(parsed == want, "versions not in ascending order: %s", versions)
        both = objects_of(self.collection.get_object(self.v1["id"], version="all"))
        expect(len(both) == 2, "Get an Object with match[version]=all returned %d objects", len(both))
        return True, ", ".join(versions)

    # -- deleting

    def delete_object(self):
        self.need(self.added)
        victim = self.plain[4]["id"]
        self.collection.delete_object(victim)
        self.deleted.add(victim)
        try:
            self.collection.get_object(victim)
        except requests.HTTPError as e:
            expect(e.response.status_code == 404, "Get an Object after delete answered HTTP %d, expected 404",
                   e.response.status_code)
        else:
            raise Failed("the object can still be read after delete")
        env = self.collection.get_objects(id=victim)
        expect(not objects_of(env), "Get Objects still lists the deleted object")
        return True, "%s deleted; Get an Object answers 404" % victim

    def cleanup(self):
        self.need(self.added)
        for oid in self.all_ids:
            if oid in self.deleted:
                continue
            self.collection.delete_object(oid)
            self.deleted.add(oid)
        left = objects_of(self.collection.get_objects(id=self.all_ids, version="all"))
        expect(not left, "%d test objects are still there", len(left))
        return True, "removed the %d test objects" % len(self.all_ids)


def main(argv=None):
    p = argparse.ArgumentParser(description="Checks an Entente node's TAXII 2.1 server with OASIS's "
                                            "taxii2-client.")
    p.add_argument("--url", default=os.environ.get("ENTENTE_URL"),
                   help="the node's base URL, e.g. http://127.0.0.1:8420 (env ENTENTE_URL)")
    p.add_argument("--user", default=os.environ.get("ENTENTE_USER") or os.environ.get("ENTENTE_ADMIN_USER"),
                   help="user name (env ENTENTE_USER, then ENTENTE_ADMIN_USER)")
    p.add_argument("--password",
                   default=os.environ.get("ENTENTE_PASSWORD") or os.environ.get("ENTENTE_ADMIN_PASSWORD"),
                   help="password (env ENTENTE_PASSWORD, then ENTENTE_ADMIN_PASSWORD)")
    p.add_argument("--discovery-path", default="/taxii2/", help="discovery path (default /taxii2/)")
    p.add_argument("--api-root", default="/taxii2/intel/", help="API root path (default /taxii2/intel/)")
    p.add_argument("--collection", default="intel", help="alias of the collection to write to (default intel)")
    p.add_argument("--timeout", type=float, default=30, help="seconds to wait for a status to complete")
    p.add_argument("--insecure", action="store_true", help="do not verify the server's TLS certificate")
    p.add_argument("--ca", help="CA bundle to verify the server's TLS certificate with")
    p.add_argument("--keep", action="store_true", help="leave the test objects in the collection")
    p.add_argument("-v", "--verbose", action="store_true", help="print tracebacks of unexpected errors")
    args = p.parse_args(argv)
    missing = [n for n in ("url", "user", "password") if not getattr(args, n)]
    if missing:
        p.error("missing %s (give them as options or environment variables)" % ", ".join(missing))

    print("taxii2-client %s (%s) against %s" % (
        getattr(taxii2client, "__version__", "?"), os.path.dirname(taxii2client.__file__), args.url))
    report = Report(args.verbose)
    c = Checks(args, report)
    report.run("discovery (Server)", c.discovery)
    report.run("authentication: wrong password rejected", c.bad_credentials)
    report.run("API root information", c.api_root_info)
    report.run("collections listing", c.collections_listing)
    report.run("Collection by id", c.collection_by_id)
    report.run("add_objects (6 indicators) + status polling", c.add_objects)
    report.run("add_objects second version + wait_until_final", c.add_second_version)
    report.run("get_object by id", c.get_object)
    report.run("get_objects match[id]", c.get_objects_by_id)
    report.run("get_objects match[type]", c.get_objects_by_type)
    report.run("get_objects added_after, match[version]=first", c.added_after_and_version)
    report.run("paging: as_pages(limit, next)", c.paging)
    report.run("paging through every readable collection (limit 50)", c.whole_collections)
    report.run("get_manifest", c.manifest)
    report.run("object_versions", c.versions)
    report.run("delete_object", c.delete_object)
    if not args.keep:
        report.run("cleanup (delete_object of the rest)", c.cleanup)
    ok = report.summary()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
