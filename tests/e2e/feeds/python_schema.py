#!/usr/bin/env python3
"""Checks metadata documents against the Python podcast_scraper's metadata
model, schema 1.0.0 (its fields, types and enum values, written out below),
and index.json against that tool's index shape.

    python_schema.py metadata FILE...   exit 1 naming the first violation
    python_schema.py index FILE...
"""
import json
import sys

try:
    import yaml
except ImportError:  # JSON documents need no YAML reader
    yaml = None

STR, INT, NUM, BOOL, LIST, DICT = "str", "int", "num", "bool", "list", "dict"

# field: (types allowed, required, nested schema or enum values)
TRANSCRIPT_INFO = {"url": ([STR], True, None), "transcript_id": ([STR], False, None),
                   "type": ([STR], False, None), "language": ([STR], False, None)}
SPEAKER_INFO = {"id": ([STR], True, None), "name": ([STR], True, None),
                "role": ([STR], True, None)}
SCHEMA = {
    "feed": ([DICT], True, {
        "title": ([STR], True, None), "url": ([STR], True, None),
        "feed_id": ([STR], True, None), "description": ([STR], False, None),
        "language": ([STR], False, None), "authors": ([LIST, STR], False, None),
        "image_url": ([STR], False, None), "last_updated": ([STR], False, None)}),
    "episode": ([DICT], True, {
        "title": ([STR], True, None), "description": ([STR], False, None),
        "published_date": ([STR], False, None), "guid": ([STR], False, None),
        "link": ([STR], False, None), "duration_seconds": ([INT], False, None),
        "episode_number": ([INT], False, None), "image_url": ([STR], False, None),
        "episode_id": ([STR], True, None)}),
    "content": ([DICT], True, {
        "transcript_urls": ([LIST, DICT], False, TRANSCRIPT_INFO),
        "media_url": ([STR], False, None), "media_id": ([STR], False, None),
        "media_type": ([STR], False, None), "transcript_file_path": ([STR], False, None),
        "transcript_source": ([STR], False, ["direct_download", "whisper_transcription"]),
        "whisper_model": ([STR], False, None),
        "speakers": ([LIST, DICT], False, SPEAKER_INFO),
        "detected_hosts": ([LIST, STR], False, None),
        "detected_guests": ([LIST, STR], False, None)}),
    "processing": ([DICT], True, {
        "processing_timestamp": ([STR], True, None),
        "output_directory": ([STR], True, None), "run_id": ([STR], False, None),
        "config_snapshot": ([DICT], False, {}), "schema_version": ([STR], False, None),
        "stage_timings": ([DICT], False, {
            "download_media_time": ([NUM], False, None),
            "transcribe_time": ([NUM], False, None),
            "extract_names_time": ([NUM], False, None),
            "summarize_time": ([NUM], False, None),
            "total_processing_time": ([NUM], False, None)})}),
    "summary": ([DICT], False, {
        "generated_at": ([STR], True, None), "word_count": ([INT], False, None),
        "short_summary": ([STR], False, None),
        "bullets": ([LIST, STR], True, None),
        "schema_status": ([STR], False, ["valid", "degraded", "invalid"])}),
}
# every key of the model is written, null or not
PRESENT = {"content": ["transcript_source", "whisper_model", "speakers"],
           "processing": ["stage_timings"]}


def is_type(v, t):
    return {STR: lambda: isinstance(v, str), BOOL: lambda: isinstance(v, bool),
            INT: lambda: isinstance(v, int) and not isinstance(v, bool),
            NUM: lambda: isinstance(v, (int, float)) and not isinstance(v, bool),
            LIST: lambda: isinstance(v, list), DICT: lambda: isinstance(v, dict)}[t]()


def check(where, obj, schema):
    for key, (types, required, sub) in schema.items():
        v = obj.get(key)
        if v is None:
            if required:
                sys.exit(f"{where}.{key}: required, missing or null")
            continue
        if not is_type(v, types[0]):
            sys.exit(f"{where}.{key}: {v!r} is not {types[0]}")
        items = v if types[0] == LIST else [v]
        for i, item in enumerate(items):
            w = f"{where}.{key}[{i}]" if types[0] == LIST else f"{where}.{key}"
            if len(types) > 1 and not is_type(item, types[1]):
                sys.exit(f"{w}: {item!r} is not {types[1]}")
            if isinstance(sub, list) and item not in sub:
                sys.exit(f"{w}: {item!r} is not one of {sub}")
            if isinstance(sub, dict) and sub:
                check(w, item, sub)


def load(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith((".yaml", ".yml")):
            return yaml.safe_load(f)
        return json.load(f)


def check_metadata(path):
    doc = load(path)
    check(path, doc, SCHEMA)
    for part, keys in PRESENT.items():
        for k in keys:
            if k not in doc[part]:
                sys.exit(f"{path}: {part}.{k} is not written")
    for s in doc["content"]["speakers"]:
        if "role_id" not in s or not s["role_id"].startswith(s["role"]):
            sys.exit(f"{path}: speaker {s} has no Python-style role_id")


def check_index(path):
    doc = load(path)
    check(path, doc, {"schema_version": ([STR], True, None), "run_id": ([STR], True, None),
                      "episodes": ([LIST, DICT], True, {
                          "episode_id": ([STR], True, None),
                          "status": ([STR], True, ["ok", "skipped", "failed"]),
                          "paths": ([DICT], True, {})})})


if __name__ == "__main__":
    fn = {"metadata": check_metadata, "index": check_index}[sys.argv[1]]
    if len(sys.argv) < 3:
        sys.exit("no files given")
    for p in sys.argv[2:]:
        fn(p)
