#!/usr/bin/env python3
"""check.py - checks on what a run of podcast_scraper left in a feed folder.

Conditions are KEY=VALUE (VALUE read as JSON when it parses, else a string),
KEY>N (a number above N), KEY~TEXT (a string containing TEXT); KEY is a
dotted path into the document.

  check.py json FILE COND...               conditions on one JSON document
  check.py episode FEED_DIR GUID COND...   on the metadata of episode GUID
  check.py index FEED_DIR RUN_ID GUID COND...   on that episode's row of
      runs/RUN_ID/index.json; the extra key `dump` checks that the crash dump
      named in error_message exists and names the episode's stage and id
  check.py sound FEED_DIR                  nothing torn: no temporary file
      (.*.tmp-*) anywhere, every metadata and run document parses,
      state.sqlite passes integrity_check
  check.py episodes FEED_DIR GUID...       exactly these episodes have
      metadata, each with a summary
  check.py crashed FEED_DIR RUN_ID SIGNAL N   a run with N injected crashes:
      every row of runs/RUN_ID/index.json is ok, or failed at summarize
      naming SIGNAL and an existing crash dump of that episode; metrics.json
      counts N worker crashes, the failed episodes and the summaries of the
      others; the folder is sound (as above).  Prints the failed rows' count.
"""
import glob
import json
import os
import re
import sqlite3
import sys


def fail(msg):
    print("check: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")


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


def check_cond(what, doc, cond):
    m = re.match(r"^([A-Za-z0-9_.]+)([=>~])(.*)$", cond, re.S)
    if not m:
        fail(f"bad condition {cond!r}")
    key, op, want = m.groups()
    try:
        got = get(doc, key)
    except (KeyError, IndexError, ValueError):
        fail(f"{what}: no key {key}")
    if op == "=":
        try:
            want_v = json.loads(want)
        except ValueError:
            want_v = want
        ok = got == want_v
    elif op == ">":
        ok = isinstance(got, (int, float)) and got > float(want)
    else:
        ok = isinstance(got, str) and want in got
    if not ok:
        fail(f"{what}: {key} is {got!r}, expected {op}{want!r}")


def metadata_by_guid(feed_dir):
    docs = {}
    for path in glob.glob(os.path.join(feed_dir, "metadata", "*.metadata.json")):
        doc = load(path)
        docs[doc["episode"]["guid"]] = doc
    return docs


def cmd_json(args):
    doc = load(args[0])
    for c in args[1:]:
        check_cond(args[0], doc, c)


def cmd_episode(args):
    feed_dir, guid = args[0], args[1]
    doc = metadata_by_guid(feed_dir).get(guid)
    if doc is None:
        fail(f"{feed_dir}: no metadata for episode {guid}")
    for c in args[2:]:
        check_cond(f"metadata of {guid}", doc, c)


def check_dump(row):
    msg = row.get("error_message") or ""
    m = re.search(r"\(crash dump: ([^)]+)\)", msg)
    if not m:
        fail(f"error message names no crash dump: {msg!r}")
    path = m.group(1)
    if not os.path.isfile(path):
        fail(f"crash dump {path} does not exist")
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    want = f"stage={row['error_stage']} episode={row['episode_id']}"
    if want not in text or f"role worker:{row['error_stage']}" not in text:
        fail(f"crash dump {path} does not name the worker's stage and episode ({want})")


def cmd_index(args):
    feed_dir, run_id, guid = args[0], args[1], args[2]
    path = os.path.join(feed_dir, "runs", run_id, "index.json")
    rows = [r for r in load(path)["episodes"] if r["episode_id"] == guid]
    if len(rows) != 1:
        fail(f"{path}: {len(rows)} rows for {guid}")
    for c in args[3:]:
        if c == "dump":
            check_dump(rows[0])
        else:
            check_cond(f"{path} row {guid}", rows[0], c)


def cmd_sound(args):
    feed_dir = args[0]
    for root, dirs, files in os.walk(feed_dir):
        for name in files + dirs:
            if name.startswith(".") and ".tmp-" in name:
                fail(f"temporary file left: {os.path.join(root, name)}")
    for path in glob.glob(os.path.join(feed_dir, "metadata", "*")):
        load(path)
    for path in glob.glob(os.path.join(feed_dir, "runs", "*", "*.json")):
        load(path)
    db = sqlite3.connect(os.path.join(feed_dir, "state.sqlite"))
    try:
        res = db.execute("PRAGMA integrity_check").fetchall()
    finally:
        db.close()
    if res != [("ok",)]:
        fail(f"{feed_dir}/state.sqlite: integrity_check says {res}")


def cmd_episodes(args):
    docs = metadata_by_guid(args[0])
    if sorted(docs) != sorted(args[1:]):
        fail(f"{args[0]}: metadata for {sorted(docs)}, expected {sorted(args[1:])}")
    for guid, doc in docs.items():
        if not doc.get("summary") or not doc["summary"].get("short_summary"):
            fail(f"{guid}: no summary")


def cmd_crashed(args):
    feed_dir, run_id, sig, crashes = args[0], args[1], args[2], int(args[3])
    path = os.path.join(feed_dir, "runs", run_id, "index.json")
    rows = load(path)["episodes"]
    failed = sum(r["status"] == "failed" for r in rows)
    metrics = os.path.join(feed_dir, "runs", run_id, "metrics.json")
    mdoc = load(metrics)
    for c in (f"worker_crashes={crashes}", f"episodes.failed={failed}",
              f"summaries={len(rows) - failed}"):
        check_cond(metrics, mdoc, c)
    cmd_sound([feed_dir])
    for r in rows:
        if r["status"] == "ok":
            continue
        if r["status"] != "failed" or r["error_stage"] != "summarize":
            fail(f"{path}: row {r['episode_id']} is {r['status']} at {r['error_stage']}")
        if f"worker killed by {sig}" not in (r["error_message"] or ""):
            fail(f"{path}: row {r['episode_id']}: {r['error_message']!r} names no {sig}")
        check_dump(r)
    print(failed)


COMMANDS = {"json": cmd_json, "episode": cmd_episode, "index": cmd_index,
            "sound": cmd_sound, "episodes": cmd_episodes, "crashed": cmd_crashed}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in COMMANDS:
        fail(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
