#!/usr/bin/python3
"""A local stand-in for Kolada's API (v3) and PxWeb's API (v1 and v2), for the fetch tests and
the fetch benchmark. It answers in the services' own shapes, from the real data stored in the
repository, sliced by the request:

- Kolada: /v3/kpi/{ids} from data/national/kpi_catalogue.csv; /v3/data/kpi/{kpis}[/municipality/
  {ids}][/year/{years}] from tests/data/kolada/values_*.csv (one item per KPI × area × year, its
  `values` the CSV's rows), paged with `next_page` (`--page-size`, or the request's `per_page` if
  smaller).
- PxWeb v2 (SCB): /api/v2/config, /api/v2/tables/TAB6471/metadata and /data?valueCodes[D]=…
  from tests/data/pxweb/scb-v2/; a variable left out is eliminated to its eliminationValueCode.
- PxWeb v1 (SCB): /api/v1/sv/?config, GET /api/v1/sv/ssd/HE/HE0110/HE0110A/SamForvInk1 (the
  table's metadata) and POST (a query → JSON-stat 2.0) from tests/data/pxweb/scb-v1/.

A query asking for more cells than the configured limit gets 403, as the services answer; more
calls than the limit in the time window get 429 with Retry-After. Faults are injected at run time:
POST /_fault {"path": "substring", "kind": "500|429|html|truncate|stall|404", "times": N (-1:
always), "retry_after": S, "seconds": S (stall)}; POST /_limits {"max_cells", "max_calls",
"window"} sets both PxWeb versions' limits; GET /_log lists the requests answered; POST /_reset
clears the faults, the log and the call count.

    /usr/bin/python3 tests/e2e/fetch_standin.py --root . --port 0 [--page-size 20] [--max-cells N]

prints `listening on http://127.0.0.1:PORT` when ready. Loopback only.
"""

import argparse
import collections
import csv
import json
import os
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

V1_TABLE = "/api/v1/sv/ssd/HE/HE0110/HE0110A/SamForvInk1"
HTML_PAGE = ("<!DOCTYPE html><html><head><title>Tjänsten är tillfälligt otillgänglig</title></head>"
             "<body><h1>Underhåll</h1><p>Försök igen senare.</p></body></html>")


class Data:
    def __init__(self, args):
        root = args.root
        self.page_size = args.page_size
        self.items = (self.kolada_json_items(args.kolada_json) if args.kolada_json
                      else self.kolada_items(root))
        self.by_kpi = collections.defaultdict(list)
        for (kpi, area, year), inner in self.items.items():
            self.by_kpi[kpi].append((area, year, inner))
        self.selected = {}  # a data request's path → its items, built once
        self.kpis = {}
        catalogue = args.catalogue or os.path.join(root, "data", "national", "kpi_catalogue.csv")
        with open(catalogue, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.kpis[row["id"]] = row
        v2 = os.path.join(root, "tests", "data", "pxweb", "scb-v2")
        v1 = os.path.join(root, "tests", "data", "pxweb", "scb-v1")
        self.v2_config = self.load(v2, "config.json")
        self.v2_metadata_text = open(os.path.join(v2, "TAB6471_metadata.json"), encoding="utf-8").read()
        self.v2_metadata = json.loads(self.v2_metadata_text)
        self.v2_data = self.load(v2, "TAB6471_data.json")
        self.v1_metadata_text = open(os.path.join(v1, "mock__response_table_variables.json"),
                                     encoding="utf-8").read()
        self.v1_metadata = json.loads(self.v1_metadata_text)
        self.v1_data = self.load(v1, "mock__response_se.json")
        self.v1_config = {"maxValues": 150000, "maxCalls": 30, "timeWindow": 10, "CORS": True}
        self.set_limits(args.max_cells, args.max_calls, args.window)

    def set_limits(self, max_cells, max_calls, window):
        """Both versions' limits (0 or None: unchanged)."""
        if max_cells:
            self.v2_config["maxDataCells"] = self.v1_config["maxValues"] = max_cells
        if max_calls:
            self.v2_config["maxCallsPerTimeWindow"] = self.v1_config["maxCalls"] = max_calls
        if window:
            self.v2_config["timeWindow"] = self.v1_config["timeWindow"] = window

    @staticmethod
    def load(folder, name):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            return json.load(f)

    @staticmethod
    def kolada_json_items(paths):
        """Items from Kolada-shaped answers (a response, or an array of them: what `halsonav
        synth` writes), for the benchmark."""
        items = collections.OrderedDict()
        for path in paths:
            with open(path, encoding="utf-8") as f:
                answers = json.load(f)
            for answer in answers if isinstance(answers, list) else [answers]:
                for item in answer["values"]:
                    key = (item["kpi"], item["municipality"], int(item["period"]))
                    items.setdefault(key, []).extend(
                        json.dumps(inner, separators=(",", ":")) for inner in item["values"])
        return items

    @staticmethod
    def kolada_items(root):
        """Kolada items keyed (kpi, municipality, year), each with its inner values as JSON text:
        the number written exactly as the CSV has it."""
        folder = os.path.join(root, "tests", "data", "kolada")
        items = collections.OrderedDict()
        for name in sorted(os.listdir(folder)):
            if not (name.startswith("values_") and name.endswith(".csv")):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    key = (row["kpi"], row["municipality_id"], int(row["year"]))
                    value = row["value"] if row["value"] not in ("", "NA") else "null"
                    inner = ('{"gender": %s, "count": %d, "status": %s, "value": %s}'
                             % (json.dumps(row["gender"]), int(row["count"]),
                                json.dumps(row["status"]), value))
                    items.setdefault(key, []).append(inner)
        return items


def slice_dataset(dataset, selection, eliminate):
    """The JSON-stat 2.0 dataset cut to `selection` ({dim: [codes]}); a dimension in `eliminate`
    is cut to its eliminationValueCode and left out. Returns (dataset, None) or (None, message)."""
    ids, sizes = dataset["id"], dataset["size"]
    keep = []  # per dimension: the positions kept
    out_ids = []
    for dim, size in zip(ids, sizes):
        category = dataset["dimension"][dim]["category"]
        index = category["index"]
        codes = index if isinstance(index, list) else sorted(index, key=index.get)
        if dim in selection:
            wanted = selection[dim]
            missing = [code for code in wanted if code not in codes]
            if missing:
                return None, f"the stand-in holds no data for {dim} = {', '.join(missing)}"
            keep.append([codes.index(code) for code in wanted])
            out_ids.append(dim)
        elif dim in eliminate:
            total = dataset["dimension"][dim].get("extension", {}).get("eliminationValueCode")
            if total not in codes:
                return None, f"the stand-in cannot eliminate {dim} (no total in its data)"
            keep.append([codes.index(total)])
        else:
            return None, f"{dim} must be selected"
    unknown = [dim for dim in selection if dim not in ids]
    if unknown:
        return None, f"the stand-in holds no data for {', '.join(unknown)}"
    strides = [1] * len(sizes)
    for pos in range(len(sizes) - 2, -1, -1):
        strides[pos] = strides[pos + 1] * sizes[pos + 1]
    offsets = [0]
    for dim_pos, kept in enumerate(keep):
        offsets = [offset + index * strides[dim_pos] for offset in offsets for index in kept]
    out = {key: value for key, value in dataset.items() if key not in ("value", "status")}
    values = dataset["value"]
    out["value"] = [values[offset] if isinstance(values, list) else values.get(str(offset))
                    for offset in offsets]
    if "status" in dataset:
        status = dataset["status"]
        out["status"] = ({str(n): status[str(o)] for n, o in enumerate(offsets) if str(o) in status}
                         if isinstance(status, dict) else [status[o] for o in offsets])
    out["id"] = out_ids
    out["size"] = [len(kept) for dim, kept in zip(ids, keep) if dim in out_ids]
    out["dimension"] = {}
    for dim, kept in zip(ids, keep):
        if dim not in out_ids:
            continue
        source = dataset["dimension"][dim]
        category = source["category"]
        index = category["index"]
        codes = index if isinstance(index, list) else sorted(index, key=index.get)
        chosen = [codes[k] for k in kept]
        new_category = {"index": {code: n for n, code in enumerate(chosen)}}
        if "label" in category:
            new_category["label"] = {code: category["label"][code] for code in chosen}
        for extra in ("unit", "note"):
            if extra in category:
                new_category[extra] = {c: v for c, v in category[extra].items() if c in chosen}
        out["dimension"][dim] = dict(source, category=new_category)
    if "role" in dataset:
        out["role"] = {role: [d for d in dims if d in out_ids] for role, dims in dataset["role"].items()}
        out["role"] = {role: dims for role, dims in out["role"].items() if dims}
    return out, None


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.faults = []
        self.log = []
        self.calls = collections.deque()

    def take_fault(self, path):
        with self.lock:
            for fault in self.faults:
                if fault["path"] in path and fault["times"] != 0:
                    fault["times"] -= 1
                    return fault
        return None

    def over_rate(self, max_calls, window):
        with self.lock:
            now = time.monotonic()
            while self.calls and now - self.calls[0] >= window:
                self.calls.popleft()
            if len(self.calls) >= max_calls:
                return True
            self.calls.append(now)
            return False


def make_handler(data, state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            super().setup()
            # Headers and body leave in separate writes: without this, Nagle's algorithm and the
            # client's delayed ACK hold each answer ~40 ms, and the stand-in would not answer
            # "at once" for the benchmark.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args):
            pass

        def send(self, status, body, content_type="application/json; charset=utf-8", headers=()):
            raw = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(raw)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)
            with state.lock:
                state.log.append({"method": self.command, "path": self.path, "status": status,
                                  "time": time.monotonic()})

        def problem(self, status, title):
            self.send(status, json.dumps({"type": "about:blank", "title": title, "status": status},
                                         ensure_ascii=False))

        def fault(self):
            fault = state.take_fault(self.path)
            if fault is None:
                return False
            kind = fault["kind"]
            if kind == "500":
                self.send(500, "Internal Server Error", "text/plain")
            elif kind == "429":
                self.send(429, "Too Many Requests", "text/plain",
                          [("Retry-After", str(fault.get("retry_after", 1)))])
            elif kind == "404":
                self.problem(404, "Not found")
            elif kind == "html":
                self.send(200, HTML_PAGE, "text/html; charset=utf-8")
            elif kind == "truncate":
                body = self.answer_text()
                raw = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw[: len(raw) // 2])
                self.wfile.flush()
                self.close_connection = True
                with state.lock:
                    state.log.append({"method": self.command, "path": self.path,
                                      "status": "truncated", "time": time.monotonic()})
            elif kind == "stall":
                time.sleep(fault.get("seconds", 8))
                self.close_connection = True
            return True

        def answer_text(self):
            """The normal answer's body, for the truncation fault."""
            url = urllib.parse.urlsplit(self.path)
            if url.path.startswith("/v3/"):
                return as_text(self.kolada(url)[1])
            return json.dumps(data.v2_data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/_log":
                with state.lock:
                    log = json.dumps(state.log)
                return self.send(200, log)
            if self.fault():
                return
            if url.path.startswith("/v3/"):
                status, body = self.kolada(url)
                return self.send(status, as_text(body) if status == 200 else body,
                                 "application/json" if status == 200 else "text/plain")
            if url.path == "/api/v2/config":
                return self.send(200, json.dumps(data.v2_config))
            if url.path == "/api/v2/tables/TAB6471/metadata":
                return self.send(200, data.v2_metadata_text)
            if url.path == "/api/v2/tables/TAB6471/data":
                return self.v2_data(url)
            if url.path == "/api/v1/sv/" and url.query == "config":
                return self.send(200, json.dumps(data.v1_config))
            if url.path == V1_TABLE:
                return self.send(200, data.v1_metadata_text)
            self.problem(404, "Not found")

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length).decode("utf-8")
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/_fault":
                with state.lock:
                    state.faults.append(json.loads(body))
                return self.send(200, "{}")
            if url.path == "/_limits":
                limits = json.loads(body)
                with state.lock:
                    data.set_limits(limits.get("max_cells"), limits.get("max_calls"),
                                    limits.get("window"))
                return self.send(200, "{}")
            if url.path == "/_reset":
                with state.lock:
                    state.faults.clear()
                    state.log.clear()
                    state.calls.clear()
                return self.send(200, "{}")
            if self.fault():
                return
            if url.path == V1_TABLE:
                return self.v1_data(body)
            self.problem(404, "Not found")

        # ---- Kolada ----
        def kolada(self, url):
            parts = url.path.strip("/").split("/")
            query = urllib.parse.parse_qs(url.query)
            per_page = min(int(query.get("per_page", ["5000"])[0]), data.page_size, 5000)
            page = int(query.get("page", ["1"])[0])
            if parts[:2] == ["v3", "kpi"] and len(parts) == 3:
                ids = parts[2].split(",")
                rows = [data.kpis[kpi] for kpi in ids if kpi in data.kpis]
                values = [self.kpi_json(row) for row in rows]
                return 200, self.page(url, values, page, per_page, raw=False)
            if parts[:3] != ["v3", "data", "kpi"] or len(parts) < 4:
                return 404, "no such Kolada route"
            rest = parts[4:]
            areas = years = None
            while rest:
                if len(rest) < 2 or rest[0] not in ("municipality", "year"):
                    return 404, "no such Kolada route"
                if rest[0] == "municipality":
                    areas = set(rest[1].split(","))
                else:
                    years = {int(y) for y in rest[1].split(",")}
                rest = rest[2:]
            with state.lock:
                items = data.selected.get(url.path)
            if items is None:
                items = []
                for kpi in parts[3].split(","):
                    for area, year, inner in data.by_kpi.get(kpi, []):
                        if (areas is None or area in areas) and (years is None or year in years):
                            items.append('{"kpi": %s, "municipality": %s, "period": %d, '
                                         '"values": [%s]}' % (json.dumps(kpi), json.dumps(area),
                                                              year, ", ".join(inner)))
                with state.lock:
                    data.selected[url.path] = items
            return 200, self.page(url, items, page, per_page, raw=True)

        def page(self, url, values, page, per_page, raw):
            begin = (page - 1) * per_page
            chunk = values[begin:begin + per_page]
            next_page = None
            if begin + per_page < len(values):
                query = urllib.parse.parse_qs(url.query)
                query["page"] = [str(page + 1)]
                query["per_page"] = [str(per_page)]
                next_page = (f"http://{self.headers['Host']}{url.path}?"
                             + urllib.parse.urlencode(query, doseq=True))
            if raw:
                return RawJson('{"values": [%s], "count": %d, "next_page": %s}'
                               % (", ".join(chunk), len(values), json.dumps(next_page)))
            return {"values": chunk, "count": len(values), "next_page": next_page}

        @staticmethod
        def kpi_json(row):
            out = dict(row)
            for flag in ("is_divided_by_gender", "has_ou_data"):
                out[flag] = row[flag].upper() == "TRUE"
            return out

        def rate_limited(self, max_calls, window):
            if state.over_rate(max_calls, window):
                self.send(429, "Too Many Requests", "text/plain", [("Retry-After", str(window))])
                return True
            return False

        # ---- PxWeb ----
        def v2_data(self, url):
            config = data.v2_config
            if self.rate_limited(config["maxCallsPerTimeWindow"], config["timeWindow"]):
                return
            query = urllib.parse.parse_qs(url.query)
            if query.get("outputFormat", ["json-stat2"])[0] != "json-stat2":
                return self.problem(400, "the stand-in answers json-stat2 only")
            selection = {}
            for key, values in query.items():
                if key.startswith("valueCodes[") and key.endswith("]"):
                    selection[key[len("valueCodes["):-1]] = values[0].split(",")
            eliminate = {dim for dim in data.v2_metadata["id"]
                         if data.v2_metadata["dimension"][dim].get("extension", {}).get("elimination")}
            self.answer_slice(data.v2_data, selection, eliminate, config["maxDataCells"])

        def v1_data(self, body):
            config = data.v1_config
            if self.rate_limited(config["maxCalls"], config["timeWindow"]):
                return
            try:
                query = json.loads(body)
            except ValueError:
                return self.problem(400, "the query is not JSON")
            if query.get("response", {}).get("format") != "json-stat2":
                return self.problem(400, "the stand-in answers json-stat2 only")
            selection = {}
            for entry in query.get("query", []):
                if entry["selection"]["filter"] != "item":
                    return self.problem(400, "the stand-in reads item filters only")
                selection[entry["code"]] = entry["selection"]["values"]
            # The stored answer is the one for eliminated Region and Inkomstklass.
            for variable in data.v1_metadata["variables"]:
                if variable["code"] not in data.v1_data["id"] and variable["code"] in selection:
                    return self.problem(400, f"the stand-in holds no data for {variable['code']}")
            self.answer_slice(data.v1_data, selection, set(), config["maxValues"])

        def answer_slice(self, dataset, selection, eliminate, max_cells):
            cells = 1
            for codes in selection.values():
                cells *= len(codes)
            if cells > max_cells:
                return self.problem(403, f"Too many cells selected ({cells} > {max_cells})")
            sliced, problem = slice_dataset(dataset, selection, eliminate)
            if problem:
                return self.problem(400, problem)
            self.send(200, json.dumps(sliced, ensure_ascii=False))

    return Handler


class RawJson(str):
    """JSON text built by hand (Kolada's values keep the CSV's number text)."""


def as_text(body):
    return body if isinstance(body, RawJson) else json.dumps(body, ensure_ascii=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", required=True, help="the repository")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--page-size", type=int, default=5000, help="Kolada's items a page")
    parser.add_argument("--max-cells", type=int, default=0, help="PxWeb's cells a query (0: as stored)")
    parser.add_argument("--max-calls", type=int, default=0, help="PxWeb's calls a window (0: as stored)")
    parser.add_argument("--window", type=float, default=0, help="PxWeb's window, seconds")
    parser.add_argument("--kolada-json", nargs="*", help="serve these Kolada-shaped answers "
                        "(`halsonav synth` output) instead of tests/data/kolada")
    parser.add_argument("--catalogue", help="the KPI catalogue to answer /v3/kpi from")
    args = parser.parse_args()
    data = Data(args)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(data, State()))
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
