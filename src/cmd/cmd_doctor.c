/*
 * cmd_doctor.c - "podcast_scraper doctor": is this machine ready to run?
 *
 * Prints one line a check ("ok", "warn" or "FAIL", what, detail) and exits 1
 * when any check failed, so scripts can gate on it.
 */
#include "cmd/cmd.h"
#include "asr/asr.h"
#include "stages/stages.h"
#include "log/log.h"
#include "net/net.h"
#include "transcript/transcript.h"
#include "util/fs.h"
#include "util/redact.h"
#include "util/strlist.h"
#include "util/timeutil.h"
#include "worker/worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <jansson.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libxml/xmlversion.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <yaml.h>

struct doctor {
	int failures;
	int warnings;
};

static void report(struct doctor *d, int level, const char *what, const char *fmt, ...)
	PC_PRINTF(4, 5);

/* level: 0 ok, 1 warn, 2 fail */
static void report(struct doctor *d, int level, const char *what, const char *fmt, ...)
{
	static const char *const words[] = { "ok  ", "warn", "FAIL" };
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT), shown = SBUF_INIT(SBUF_NOLIMIT);
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&text, fmt, ap);
	va_end(ap);
	redact_add(&shown, text.buf, text.len);     /* a server URL may carry a password */
	printf("%s  %-22s %s\n", words[level], what, shown.buf);
	sbuf_release(&text);
	sbuf_release(&shown);
	d->failures += level == 2;
	d->warnings += level == 1;
}

static void check_libraries(struct doctor *d)
{
	unsigned av = avformat_version();

	report(d, 0, "libcurl", "%s", curl_version_info(CURLVERSION_NOW)->version);
	report(d, 0, "libxml2", "%s", LIBXML_DOTTED_VERSION);
	report(d, 0, "libyaml", "%s", yaml_get_version_string());
	report(d, 0, "jansson", "%s", JANSSON_VERSION);
	report(d, 0, "sqlite", "%s", sqlite3_libversion());
	report(d, 0, "openssl", "%s", OpenSSL_version(OPENSSL_VERSION));
	report(d, 0, "libavformat", "%u.%u.%u", av >> 16, (av >> 8) & 255, av & 255);
}

static void check_model(struct doctor *d, const struct config *c)
{
	static const char *const parts[] = { "en-us", "en-us.lm.bin", "cmudict-en-us.dict" };
	const char *dir = c->asr_model_dir;
	int missing = 0;

	if (c->transcription_provider != ASR_PROVIDER_POCKETSPHINX) {
		report(d, 0, "speech model", "remote engine (%s)", c->openai_api_base);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		char *p = fs_join(dir, parts[i]);

		if (!fs_exists(p)) {
			report(d, 2, "speech model", "missing %s (install the Debian package "
			       "pocketsphinx-en-us or set asr_model_dir)", p);
			missing++;
		}
		free(p);
	}
	if (!missing)
		report(d, 0, "speech model", "%s", dir);
}

static void check_dir(struct doctor *d, const char *what, const char *dir)
{
	struct sbuf err = SBUF_INIT(4096);

	if (fs_check_writable_dir(dir, &err) < 0)
		report(d, 2, what, "%s", err.buf);
	else
		report(d, 0, what, "%s is writable", dir);
	sbuf_release(&err);
}

static void check_remote_key(struct doctor *d, const struct config *c)
{
	bool remote = c->transcription_provider == ASR_PROVIDER_OPENAI ||
		      c->summary_provider == SUMMARY_PROVIDER_OPENAI;

	if (!remote)
		return;
	if (c->openai_api_key)
		report(d, 0, "OpenAI API key", "set (not shown)");
	else
		report(d, 1, "OpenAI API key", "not set (OPENAI_API_KEY); fine for servers "
		       "that need none");
}

/* Whether worker_memory_limit holds in this build and configuration. */
static void check_memory_limit(struct doctor *d, const struct config *c)
{
	struct sbuf limit = SBUF_INIT(64);

	worker_limit_text(&limit, c->worker_memory_limit);
	if (!worker_memory_limit_enforced())
		report(d, 1, "worker memory limit", "not enforced in this build "
		       "(AddressSanitizer reserves terabytes of address space)");
	else if (c->worker_memory_limit <= 0)
		report(d, 0, "worker memory limit", "none (worker_memory_limit 0)");
	else if (c->isolation == ISOLATION_INLINE)
		report(d, 1, "worker memory limit", "not applied with isolation inline");
	else
		report(d, 0, "worker memory limit", "enforced: %s of address space per worker",
		       limit.buf);
	sbuf_release(&limit);
}

static char *opt_network;
static char *opt_check_network;

/* Fetches url once (no retries) with the configured timeouts and user agent. */
static void check_network(struct doctor *d, const struct config *c, const char *url)
{
	struct net_options no = { .workers = 1, .timeout_s = c->timeout, .retries = -1,
				  .user_agent = c->user_agent };
	struct net_result res;
	int r;

	net_global_init();
	r = net_fetch(&no, url, (size_t)c->max_feed_bytes, &res);
	if (r < 0)
		report(d, 2, "network", "%s", res.err.buf);
	else
		report(d, 0, "network", "%s: %lld bytes (HTTP %ld)", res.final_url, res.bytes,
		       res.http_status);
	net_result_release(&res);
	net_global_cleanup();
}

static struct asr_options server_options(const struct config *c, const char *url)
{
	struct asr_options o = ASR_OPTIONS_INIT;

	o.engine = "openai";
	o.api_base = url;
	o.api_key = c->openai_api_key;
	o.model = stages_transcribe_model(c);
	o.language = c->language;
	o.timeout = c->timeout;
	o.think = c->timeout;     /* a 1 s clip: no reason to wait long */
	return o;
}

/* GET {url}/models: reachable, a model list, and the model we would ask for. */
static void check_server_models(struct doctor *d, const struct asr_options *o)
{
	struct strlist models = STRLIST_INIT;
	struct sbuf err = SBUF_INIT(4096), list = SBUF_INIT(1024);
	const char *model = o->model ? o->model : ASR_DEFAULT_REMOTE_MODEL;
	long status = 0;

	if (asr_remote_models(o, &models, &status, &err) < 0) {
		/* a list behind the key is no fault: the clip check sends the key */
		report(d, status == 401 || status == 403 ? 1 : 2, "speech server models", "%s",
		       err.buf);
	} else {
		for (size_t i = 0; i < models.nr; i++)
			sbuf_addf(&list, "%s%s", i ? ", " : "", models.items[i]);
		if (strlist_has(&models, model))
			report(d, 0, "speech server models", "%s (asking for %s)", list.buf, model);
		else
			report(d, 1, "speech server models", "'%s' is not among the server's "
			       "models (%s): set openai_transcription_model (many local "
			       "servers answer with the model they loaded anyway)",
			       model, models.nr ? list.buf : "none listed");
	}
	strlist_release(&models);
	sbuf_release(&err);
	sbuf_release(&list);
}

/* A 1 s clip through the same request a transcription sends. */
static void check_server_clip(struct doctor *d, const struct asr_options *o)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	double t0 = time_mono();

	if (asr_remote_probe(o, 1.0, &l, &err) < 0)
		report(d, 2, "speech server clip", "%s", err.buf);
	else
		report(d, 0, "speech server clip", "1 s test clip transcribed in %.2f s: "
		       "%zu segment(s)%s%s", time_mono() - t0, l.nr, l.nr ? ", first: " : "",
		       l.nr ? l.items[0].text : "");
	segment_list_release(&l);
	sbuf_release(&err);
}

/* What --check-network fetches: the server for openai, else the first feed. */
static char *default_network_target(const struct config *c)
{
	const char *t = c->transcription_provider == ASR_PROVIDER_OPENAI ? c->openai_api_base :
			c->rss ? c->rss : c->positional.nr ? c->positional.items[0] :
			c->feeds.nr ? c->feeds.items[0] : NULL;

	return t ? pc_strdup(t) : NULL;
}

int cmd_doctor(int argc, char **argv)
{
	static const struct cli_extra extras[] = {
		{ "network", 0, "URL", "also fetch URL (a feed); with --transcription-provider "
		  "openai, check the speech server at URL (models, a 1 s clip)",
		  &opt_network },
		{ "check-network", 0, NULL, "fetch the configured feed (or, for the openai "
		  "provider, check openai_api_base) without naming a URL", &opt_check_network },
	};
	static const struct cmd_usage usage = {
		"podcast_scraper doctor [OPTIONS]",
		"Checks the libraries, the speech model, the output and crash folders and,\n"
		"for remote engines, the API key; with --network, that a URL can be fetched,\n"
		"or for the openai provider that URL is a working speech server.\n"
		"Exits 1 when a check fails.",
		extras, ARRAY_SIZE(extras), false, "main",
	};
	struct config c;
	struct doctor d = { 0, 0 };
	int code;

	config_init(&c);
	code = cmd_setup(argc, argv, &c, &usage);
	if (code >= 0)
		goto out;
	printf("podcast_scraper %s\n", PC_VERSION);
	check_libraries(&d);
	check_model(&d, &c);
	check_dir(&d, "output folder", c.output_dir ? c.output_dir : "output");
	check_dir(&d, "crash folder", c.crash_dir);
	check_remote_key(&d, &c);
	check_memory_limit(&d, &c);
	if (!opt_network && opt_check_network)
		opt_network = default_network_target(&c);
	if (opt_network && c.transcription_provider == ASR_PROVIDER_OPENAI) {
		struct asr_options o = server_options(&c, opt_network);

		net_global_init();
		check_server_models(&d, &o);
		check_server_clip(&d, &o);
		net_global_cleanup();
	} else if (opt_network) {
		check_network(&d, &c, opt_network);
	}
	printf("%d failed, %d warnings\n", d.failures, d.warnings);
	code = d.failures ? PC_EXIT_FATAL : PC_EXIT_OK;
out:
	config_release(&c);
	pc_freep(&opt_network);
	pc_freep(&opt_check_network);
	return code;
}
