/*
 * stages.c - requests, responses and devices of the two engine stages.
 */
#include "stages/stages.h"
#include "worker/worker.h"

#include <stdlib.h>
#include <string.h>

extern const struct stage_handler stages_transcribe_handler;
extern const struct stage_handler stages_summarize_handler;

void stages_register(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	worker_register_handler(&stages_transcribe_handler);
	worker_register_handler(&stages_summarize_handler);
}

static json_t *string_array(const struct strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; l && i < l->nr; i++)
		json_array_append_new(a, json_string(l->items[i]));
	return a;
}

json_t *stages_transcribe_request(const char *episode_id, const char *audio_path,
				  const char *segments_path, const struct strlist *words)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "episode_id", episode_id, "input", audio_path,
			 "output", segments_path, "words", string_array(words));
}

json_t *stages_summarize_request(const char *episode_id, const char *cleaned_path,
				 const struct strlist *speakers)
{
	return json_pack("{s:s, s:s, s:o}", "episode_id", episode_id, "input", cleaned_path,
			 "speakers", string_array(speakers));
}

int stages_summary_from_response(json_t *response, struct summary *out, struct sbuf *err)
{
	const char *text = json_string_value(json_object_get(response, "short_summary"));
	const char *provider = json_string_value(json_object_get(response, "provider"));
	json_t *kp = json_object_get(response, "key_points"), *v;
	size_t i;

	if (!text || !provider || !json_is_array(kp)) {
		sbuf_setf(err, "summarization worker sent an incomplete response");
		return -PC_EPARSE;
	}
	memset(out, 0, sizeof(*out));
	out->short_summary = pc_strdup(text);
	out->provider = pc_strdup(provider);
	json_array_foreach(kp, i, v)
		if (json_is_string(v))
			strlist_push(&out->key_points, json_string_value(v));
	out->word_count = (long)json_integer_value(json_object_get(response, "word_count"));
	out->transcript_word_count =
		(long)json_integer_value(json_object_get(response, "transcript_word_count"));
	return 0;
}

void stages_summarize_config(const struct config *c, struct summarize_config *out)
{
	*out = (struct summarize_config){ c->openai_api_base, c->openai_api_key,
					  c->openai_summary_model, c->openai_temperature,
					  c->summarization_timeout, c->summary_chunk_size,
					  c->summary_prompt };
}

const char *stages_device(int asked, bool remote, bool *downgraded)
{
	bool accelerator = asked == DEVICE_CUDA || asked == DEVICE_MPS;

	*downgraded = false;
	if (remote)
		return accelerator ? config_device_name(asked) : "remote";
	*downgraded = accelerator;
	return "cpu";
}

const char *stages_transcribe_device(const struct config *c, bool *downgraded)
{
	return stages_device(c->whisper_device,
			     c->transcription_provider == ASR_PROVIDER_OPENAI, downgraded);
}

const char *stages_summarize_device(const struct config *c, bool *downgraded)
{
	return stages_device(c->summary_device,
			     c->summary_provider == SUMMARY_PROVIDER_OPENAI, downgraded);
}

const char *stages_transcribe_engine(const struct config *c)
{
	return c->transcription_provider == ASR_PROVIDER_OPENAI ? "openai" : "pocketsphinx";
}

const char *stages_summarize_engine(const struct config *c)
{
	return c->summary_provider == SUMMARY_PROVIDER_OPENAI ? "openai" : "textrank";
}
