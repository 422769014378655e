#!/usr/bin/env python3
"""verify.py - checks on a feed folder written by podcast_scraper.

  verify.py outputs FEED_DIR SITE BASE_URL COUNT [--yaml]
      COUNT metadata documents, each valid, schema 1.1.0, transcript saved
      byte for byte (equal to one of the episode's transcript URLs, served
      from SITE at BASE_URL), with its .txt and, for timed formats,
      .segments.json.
  verify.py json FILE KEY.PATH=VALUE...      values inside a JSON document
  verify.py index FEED_DIR ok=N skipped=N failed=N   the newest run's index
  verify.py names FEED_DIR MAX_TITLE_BYTES   every output name safe and inside
  verify.py normalize FEED_DIR OUT_DIR       copy transcripts/ and metadata/
      with run-specific metadata fields blanked, for a diff -r
"""
import glob
import json
import os
import re
import shutil
import sys

TIMED = {"vtt", "srt", "json"}
STEM = re.compile(r"^(\d{4}-\d{2}-\d{2})_(.+)_([0-9a-f]{6,40}(?:-[0-9]+)?)$")


def fail(msg):
    print("verify: " + msg, file=sys.stderr)
    sys.exit(1)


def load_doc(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{path}: not UTF-8 ({e})")
    if path.endswith(".yaml"):
        try:
            import yaml
        except ImportError:
            fail(f"{path}: cannot check YAML: the PyYAML module is missing "
                 "(install python3-yaml)")
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as e:
            fail(f"{path}: invalid YAML: {e}")
    try:
        return json.loads(text)
    except ValueError as e:
        fail(f"{path}: invalid JSON: {e}")


def get(doc, dotted):
    cur = doc
    for part in dotted.split("."):
        if isinstance(cur, list):
            cur = cur[int(part)]
        elif isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            raise KeyError(dotted)
    return cur


def site_file(site, base, url):
    if not url.startswith(base + "/"):
        return None
    path = url[len(base) + 1:].split("?", 1)[0]
    return os.path.join(site, path)


def check_episode(feed_dir, site, base, meta_path):
    doc = load_doc(meta_path)
    name = os.path.basename(meta_path)
    if get(doc, "processing.schema_version") != "1.1.0":
        fail(f"{name}: schema_version is not 1.1.0")
    if get(doc, "content.transcript_source") != "direct_download":
        fail(f"{name}: transcript_source is not direct_download")
    rel = get(doc, "content.transcript_file_path")
    stem = name.rsplit(".metadata.", 1)[0]
    if not rel or not rel.startswith("transcripts/" + stem + "."):
        fail(f"{name}: transcript_file_path {rel!r} is not transcripts/{stem}.*")
    path = os.path.join(feed_dir, rel)
    if not os.path.isfile(path):
        fail(f"{name}: {rel} does not exist")
    with open(path, "rb") as f:
        saved = f.read()
    sources = []
    for t in get(doc, "content.transcript_urls"):
        src = site_file(site, base, t["url"])
        if src and os.path.isfile(src):
            with open(src, "rb") as f:
                sources.append(f.read())
    if saved not in sources:
        fail(f"{name}: {rel} differs from every served transcript of the episode")
    txt = os.path.join(feed_dir, "transcripts", stem + ".txt")
    if not os.path.isfile(txt) or os.path.getsize(txt) == 0:
        fail(f"{name}: no text form {txt}")
    with open(txt, "rb") as f:
        try:
            f.read().decode("utf-8")
        except UnicodeDecodeError:
            fail(f"{txt}: not UTF-8")
    seg = os.path.join(feed_dir, "transcripts", stem + ".segments.json")
    ext = rel.rsplit(".", 1)[1]
    if ext in TIMED:
        if not os.path.isfile(seg):
            fail(f"{name}: timed transcript {rel} without {seg}")
        segs = load_doc(seg)["segments"]
        if not segs or any(s["start"] is None or s["start"] < 0 for s in segs):
            fail(f"{seg}: no timed segments")
    elif os.path.exists(seg):
        fail(f"{name}: untimed transcript {rel} has {seg}")


def cmd_outputs(args):
    feed_dir, site, base, count = args[0], args[1], args[2].rstrip("/"), int(args[3])
    ext = "yaml" if "--yaml" in args[4:] else "json"
    metas = sorted(glob.glob(os.path.join(feed_dir, "metadata", "*.metadata." + ext)))
    if len(metas) != count:
        fail(f"{feed_dir}: {len(metas)} metadata documents, expected {count}")
    for m in metas:
        check_episode(feed_dir, site, base, m)


def cmd_json(args):
    doc = load_doc(args[0])
    for kv in args[1:]:
        key, want = kv.split("=", 1)
        try:
            got = get(doc, key)
        except (KeyError, IndexError):
            fail(f"{args[0]}: no key {key}")
        got_s = json.dumps(got) if not isinstance(got, str) else got
        if got_s != want:
            fail(f"{args[0]}: {key} is {got_s!r}, expected {want!r}")


def newest_run(feed_dir):
    runs = glob.glob(os.path.join(feed_dir, "runs", "*", "index.json"))
    if not runs:
        fail(f"{feed_dir}: no runs/*/index.json")
    return max(runs, key=os.path.getmtime)


def cmd_index(args):
    path = newest_run(args[0])
    doc = load_doc(path)
    rows = doc["episodes"]
    if doc["run_id"] != os.path.basename(os.path.dirname(path)):
        fail(f"{path}: run_id {doc['run_id']!r} is not its folder")
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
        for kind, rel in r["paths"].items():
            if rel and not os.path.exists(os.path.join(args[0], rel)):
                fail(f"{path}: {r['episode_id']} paths.{kind} {rel!r} does not exist")
    for status in ("ok", "skipped", "failed"):
        if doc[f"episodes_{status}"] != counts.get(status, 0):
            fail(f"{path}: episodes_{status} is {doc[f'episodes_{status}']}, rows say {counts}")
    for kv in args[1:]:
        status, n = kv.split("=")
        if counts.get(status, 0) != int(n):
            fail(f"{path}: {counts.get(status, 0)} rows {status}, expected {n}: {counts}")


def cmd_names(args):
    feed_dir = os.path.realpath(args[0])
    limit = int(args[1])
    found = 0
    for root, dirs, files in os.walk(feed_dir):
        for fn in files + dirs:
            full = os.path.join(root, fn)
            try:
                fn.encode("utf-8", "strict")
            except UnicodeEncodeError:
                fail(f"{full!r}: name is not valid UTF-8")
            if not os.path.realpath(full).startswith(feed_dir + os.sep):
                fail(f"{full}: outside {feed_dir}")
    for sub in ("transcripts", "metadata"):
        for fn in os.listdir(os.path.join(feed_dir, sub)):
            stem = fn.split(".metadata.")[0] if sub == "metadata" else fn
            if sub == "transcripts":
                stem = re.sub(r"\.(segments\.json|vtt|srt|json|html|txt)$", "", fn)
            m = STEM.match(stem)
            if not m:
                fail(f"{sub}/{fn}: stem {stem!r} is not DATE_TITLE_ID6")
            title = m.group(2)
            if len(title.encode("utf-8")) > limit:
                fail(f"{sub}/{fn}: title part {len(title.encode())} bytes > {limit}")
            if fn.startswith(".") or "/" in fn or "\\" in fn or fn in (".", ".."):
                fail(f"{sub}/{fn}: unsafe name")
            found += 1
    print(found, "names checked")


VOLATILE = ("processing_timestamp", "run_id", "output_directory", "stage_timings")


def normalize(doc):
    proc = doc.get("processing") or {}
    for k in VOLATILE:
        if k in proc:
            proc[k] = "<run-specific>"
    snap = proc.get("config_snapshot") or {}
    for k in ("output_dir", "run_id", "delay_ms"):  # run settings, not results
        if k in snap:
            snap[k] = "<run-specific>"
    return doc


def cmd_normalize(args):
    feed_dir, out = args
    shutil.copytree(os.path.join(feed_dir, "transcripts"), os.path.join(out, "transcripts"))
    os.makedirs(os.path.join(out, "metadata"))
    for m in glob.glob(os.path.join(feed_dir, "metadata", "*.json")):
        with open(os.path.join(out, "metadata", os.path.basename(m)), "w") as f:
            json.dump(normalize(load_doc(m)), f, indent=1, sort_keys=True)


COMMANDS = {"outputs": cmd_outputs, "json": cmd_json, "index": cmd_index,
            "names": cmd_names, "normalize": cmd_normalize}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in COMMANDS:
        fail(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
