#!/usr/bin/env bash
# Switching from the Python podcast_scraper: its example config, every config
# key and flag of its release, its values, environment variables and list
# syntax run here, each acting or warning once about what happens instead.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

mkdir -p "$SITE/t"
make_vtt 12 "compat" >"$SITE/t/a.vtt"
F=$T_WORK/feed.xml
feed_open "$F" "Compat Show"
feed_item "$F" --title "Ep One" --guid g-1 --date 2026-01-05 \
	--transcript "$SERVER_URL/t/a.vtt" text/vtt
feed_close "$F"
F2=$T_WORK/feed2.xml
sed "s/Compat Show/Compat Two/; s/g-1/g-2/" "$F" >"$F2"

manifest() { find "$1" -name run_manifest.json | head -1; }
# cfg DIR EXPR: a value of the config snapshot the run recorded
cfg() {
	python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["config"]; print(json.dumps(eval(sys.argv[2])))' \
		"$(manifest "$1")" "$2"
}
test_fails() { ! "$@" 2>/dev/null; }
count_in() { grep -c -- "$2" "$1" || true; }

# --- the Python project's example config, unchanged but for its feed ----------
sed "s#^rss: https://example.com/feed.xml#rss: $F#" \
	"$TEST_SRCDIR/e2e/cli/fixtures/python_config.example.yaml" >example.yaml
check "only the feed line differs" test "$(diff example.yaml \
	"$TEST_SRCDIR/e2e/cli/fixtures/python_config.example.yaml" | grep -c '^[<>]')" = 2
run_ps --config example.yaml
expect_status 0
expect_done_last
expect_summary transcripts=1 summaries=1 failed=0
check "example: summary written" test -n "$(ls output_podcast_example/metadata/*.json)"
check "example: screenplay written" test -n "$(ls output_podcast_example/transcripts/*.screenplay.txt)"
for w in "Whisper weights are not used locally" "speaker_detector_provider" \
	 "transformer summarizers do not run here" "cache_detected_hosts"; do
	check "one warning: $w" test "$(count_in "$T_WORK/err" "$w")" = 1
done
# metadata and index read by the Python tool's model
check "metadata fits the Python model" python3 "$FEEDS_LIB/python_schema.py" metadata \
	output_podcast_example/metadata/*.metadata.json
check "index fits the Python index" python3 "$FEEDS_LIB/python_schema.py" index \
	output_podcast_example/runs/*/index.json
check "transcript_source is the Python value" grep -q '"transcript_source": "direct_download"' \
	output_podcast_example/metadata/*.metadata.json
# the checker itself refuses what the model refuses
sed 's/"direct_download"/"local_transcription"/' output_podcast_example/metadata/*.metadata.json >bad.json
check "the checker refuses a foreign enum value" test_fails python3 "$FEEDS_LIB/python_schema.py" metadata bad.json
check "whisper -> embedded engine" test "$(cfg output_podcast_example 'c["transcription_provider"]')" = '"pocketsphinx"'
check "transformers -> textrank" test "$(cfg output_podcast_example 'c["summary_provider"]')" = '"textrank"'

# --- every config key of that release, in one file ----------------------------
# key: value as a Python user writes it (the release's 55 keys and the ones the
# issue names; provider families we lack are sampled).
cat >allkeys.yaml <<YAML
rss: $F
output_dir: allkeys
max_episodes: 1
user_agent: compat-test/1
timeout: 20
delay_ms: 0
prefer_types: [vtt]
transcribe_missing: true
transcription_provider: whisper
whisper_model: base.en
whisper_device: auto
transcription_device: cpu
speaker_detector_provider: openai
summary_provider: transformers
summary_model: pegasus-cnn
summary_reduce_model: long-fast
summary_device: auto
summary_chunk_size: 2048
summary_prompt: "Summarize."
summary_cache_dir: /tmp/nowhere
summary_batch_size: 1
summary_chunk_parallelism: 1
summary_word_chunk_size: 900
summary_word_overlap: 150
summary_map_params: {max_new_tokens: 200, num_beams: 6}
summary_reduce_params: {max_new_tokens: 650}
summary_tokenize: {truncation: true}
language: en
ner_model: en_core_web_sm
auto_speakers: true
cache_detected_hosts: false
known_hosts: [Darian Woods]
screenplay: true
screenplay_gap: 1.25
num_speakers: 2
speaker_names: [Host, Guest]
run_id: every-key
workers: 2
log_level: WARNING
log_file: allkeys.log
skip_existing: true
reuse_media: false
clean_output: false
dry_run: false
generate_metadata: true
generate_summaries: true
metadata_format: json
metadata_subdirectory: metadata
metrics_output: allkeys-metrics.json
save_cleaned_transcript: true
openai_api_base: http://127.0.0.1:9/v1
openai_transcription_model: whisper-1
openai_speaker_model: gpt-4o-mini
openai_summary_model: gpt-4o-mini
openai_temperature: 0.3
openai_max_tokens: 500
mps_exclusive: true
transcription_parallelism: 1
processing_parallelism: 1
preprocessing_enabled: true
preprocessing_cache_dir: .cache/preprocessing
preprocessing_sample_rate: 16000
preprocessing_silence_threshold: "-50dB"
preprocessing_silence_duration: 2.0
preprocessing_target_loudness: -16
gemini_api_key: none
gemini_summary_model: gemini-1.5-pro
mistral_temperature: 0.3
deepseek_max_tokens: null
grok_speaker_model: grok-2
ollama_timeout: 120
json_logs: false
fail_fast: false
max_failures: 0
YAML
run_ps --config allkeys.yaml
expect_status 0
expect_done_last
check "Python key values reach our keys" test \
	"$(cfg allkeys '[c["prefer_type"], c["whisper_device"], c["log_level"]]')" = '[["vtt"], "cpu", "warn"]'
check "one note for the gemini family" test "$(count_in "$T_WORK/err" "gemini_\* keys")" = 1
# keys that act here are not among the "accepted and not used" notes
for k in metadata_subdirectory metrics_output save_cleaned_transcript summary_chunk_size \
	 summary_prompt preprocessing_silence_threshold preprocessing_silence_duration; do
	check "$k acts (no 'not used' note)" test "$(count_in "$T_WORK/err" "'$k' is accepted and not used")" = 0
done
check "metrics_output written" test -s allkeys-metrics.json
check "summary_prompt with textrank: one note that it needs openai" \
	test "$(count_in "$T_WORK/err" "'summary_prompt' is used by summary_provider openai only")" = 1

# --- every flag of that release ------------------------------------------------
run_ps --rss "$F" --rss "$F2" --output-dir allflags --max-episodes 1 --prefer-type vtt \
	--user-agent compat-test/1 --timeout 20 --delay-ms 0 --run-id every-flag \
	--skip-existing --reuse-media --no-clean-output --log-file allflags.log \
	--log-level CRITICAL --workers 2 --transcribe-missing --transcription-provider whisper \
	--whisper-model base.en --whisper-device cpu --transcription-device cpu \
	--screenplay --screenplay-gap 1.5 --num-speakers 2 --speaker-names "Alice, Bob" \
	--generate-metadata --metadata-format json --metadata-subdirectory metadata \
	--metrics-output m.json --language en --ner-model en_core_web_sm \
	--speaker-detector-provider spacy --auto-speakers --cache-detected-hosts \
	--no-cache-detected-hosts --enable-preprocessing --preprocessing-cache-dir c \
	--preprocessing-sample-rate 16000 --preprocessing-silence-threshold=-50dB \
	--preprocessing-silence-duration 2 --preprocessing-target-loudness=-16 \
	--generate-summaries --summary-provider transformers --summary-model bart-small \
	--summary-reduce-model long-fast --summary-device cpu --summary-chunk-size 2048 \
	--summary-prompt "Summarize." --summary-batch-size 1 --summary-chunk-parallelism 1 \
	--save-cleaned-transcript --cache-dir /tmp/nowhere --cache-info --prune-cache \
	--openai-api-base http://127.0.0.1:9/v1 --openai-transcription-model whisper-1 \
	--openai-speaker-model gpt-4o-mini --openai-summary-model gpt-4o-mini \
	--openai-temperature 0.3 --openai-max-tokens 100 --gemini-api-key x \
	--mistral-summary-model m --mps-exclusive --json-logs --fail-fast --max-failures 0 \
	--transcription-parallelism 1 --processing-parallelism 1 --seed 1 --append
expect_status 0
expect_done_last
check "--speaker-names 'Alice, Bob' is two names" test \
	"$(cfg allflags 'c["speaker_names"]')" = '["Alice", "Bob"]'
check "a second --rss is a second feed" test "$(cfg allflags '[c["rss"], c["feeds"]]')" = "[\"$F\", [\"$F2\"]]"
check "CRITICAL is error" test "$(cfg allflags 'c["log_level"]')" = '"error"'

# --- the Python tool's environment variables ----------------------------------
TRANSCRIPTION_PARALLELISM=3 OPENAI_TEMPERATURE=0.7 LOG_LEVEL=WARNING \
	run_ps "$F" --output-dir envs --run-id envs
expect_status 0
check "TRANSCRIPTION_PARALLELISM and OPENAI_TEMPERATURE honoured" test \
	"$(cfg envs '[c["transcription_workers"], c["openai_temperature"]]')" = '[3, 0.7]'

# --- skip_existing false reprocesses like --force -----------------------------
run_ps "$F" --output-dir envs --run-id again
expect_status 0
expect_summary skipped=1
run_ps "$F" --output-dir envs --run-id redo --no-skip-existing
expect_status 0
expect_summary transcripts=1 skipped=0

# --- mistakes: every unknown key at once, with a suggestion --------------------
printf 'workrs: 3\nscreenplay: true\nfoo_bar: 1\nmax_episode: 2\n' >typo.yaml
run_ps --config typo.yaml "$F"
expect_status 1
expect_in "$T_WORK/err" "config 'typo.yaml' line 1: unknown key 'workrs' (did you mean 'workers'?)"
expect_in "$T_WORK/err" "config 'typo.yaml' line 3: unknown key 'foo_bar'"
expect_in "$T_WORK/err" "config 'typo.yaml' line 4: unknown key 'max_episode' (did you mean 'max_episodes'?)"
run_ps --speker-names Alice "$F"
expect_status 2
expect_in "$T_WORK/err" "did you mean '--speaker-names'?"

# --- a language the embedded recognizer cannot do is a clear error -------------
run_ps --language de "$F" --output-dir de
expect_status 1
expect_in "$T_WORK/err" "key 'language': 'de' cannot be transcribed by the embedded recognizer"
run_ps --language de --transcription-provider openai "$F" --output-dir de --dry-run
expect_status 0

finish
