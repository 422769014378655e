/*
 * stages.h - the transcription and summarization stages as worker handlers.
 *
 * One place defines both sides of each stage's protocol: the coordinator
 * builds requests and reads responses with the functions below, and the
 * handlers (run in a worker process, or inline) serve them.  Large data
 * travels by file path: the transcription handler writes the segments as
 * JSON to the request's "output" path; the summarization handler reads the
 * cleaned transcript from "input".
 *
 *	transcribe  request  {episode_id, input: audio path, output: segments path,
 *	                      words: [names to know],
 *	                      context: the show's text (asr_set_context)}
 *	            response {engine, model, audio_seconds, decode_seconds,
 *	                      recognize_seconds, segments, diarization: {method,
 *	                      voices, seconds_by_speaker{SPEAKER_n: s}, seconds}
 *	                      or {error} (with diarization on; the segments then
 *	                      carry SPEAKER_n labels)}
 *	summarize   request  {episode_id, input: cleaned text path, speakers: [names]}
 *	            response {short_summary, key_points[], provider, word_count,
 *	                      transcript_word_count}
 *
 * stages_register() must run before any worker or pool looks a handler up.
 */
#ifndef STAGES_H
#define STAGES_H

#include "config/config.h"
#include "summarize/summarize.h"
#include "util/strlist.h"

#include <jansson.h>

void stages_register(void);

json_t *stages_transcribe_request(const char *episode_id, const char *audio_path,
				  const char *segments_path, const struct strlist *words);
json_t *stages_summarize_request(const char *episode_id, const char *cleaned_path,
				 const struct strlist *speakers);
/* The summarizer's settings from the config (pointers into c). */
void stages_summarize_config(const struct config *c, struct summarize_config *out);
/* Fills out (summary_release() it) from a summarize response. */
int stages_summary_from_response(json_t *response, struct summary *out, struct sbuf *err);

/*
 * The device a stage runs on, given what was asked (whisper_device or
 * summary_device) and what its engine can use: "cpu" for the embedded
 * engines whatever was asked (*downgraded set when an accelerator was asked),
 * the asked accelerator for remote engines (their server's device), "remote"
 * for a remote engine on auto/cpu.
 */
const char *stages_device(int asked, bool remote, bool *downgraded);
/* The same for each stage from the config. */
const char *stages_transcribe_device(const struct config *c, bool *downgraded);
const char *stages_summarize_device(const struct config *c, bool *downgraded);
/* Engine names for the run manifest. */
/* The remote model a transcription asks for (whisper_model or openai_transcription_model). */
const char *stages_transcribe_model(const struct config *c);
const char *stages_transcribe_engine(const struct config *c);
const char *stages_summarize_engine(const struct config *c);

#endif
