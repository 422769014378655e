/*
 * asr_g2p.c - pronunciations for words the dictionary lacks, and the
 * splitting of names into dictionary words.
 *
 * flite's CMU lexicon gives "verbeek -> v er1 b iy0 k" (from its own
 * lexicon, else its letter-to-sound rules).  Its phone set is the CMU one
 * pocketsphinx's en-us model uses, lower case, with stress digits and two
 * extra vowels: ax (schwa) maps to AH and axr to ER; pau is a pause.
 */
#include "asr/asr_backend.h"
#include "util/strlist.h"

#include <flite/cst_lexicon.h>
#include <flite/cst_val.h>

#include <ctype.h>
#include <pthread.h>
#include <string.h>

/* In libflite_cmulex, without a public header. */
cst_lexicon *cmu_lex_init(void);

static pthread_mutex_t lex_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const en_us_phones[] = {
	"AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER",
	"EY", "F", "G", "HH", "IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW",
	"OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH",
};

/* Appends the en-us phone for a flite phone; false if there is none. */
static bool add_phone(struct sbuf *out, const char *flite_phone)
{
	struct sbuf p = SBUF_INIT(16);
	bool ok = false;

	for (const char *c = flite_phone; *c; c++)
		if (!isdigit((unsigned char)*c))
			sbuf_addch(&p, toupper((unsigned char)*c));
	if (!strcmp(p.buf, "PAU")) {
		sbuf_release(&p);
		return true;
	}
	if (!strcmp(p.buf, "AX"))
		sbuf_setf(&p, "AH");
	else if (!strcmp(p.buf, "AXR"))
		sbuf_setf(&p, "ER");
	for (size_t i = 0; i < ARRAY_SIZE(en_us_phones) && !ok; i++)
		ok = !strcmp(p.buf, en_us_phones[i]);
	if (ok)
		sbuf_addf(out, "%s%s", out->len ? " " : "", p.buf);
	sbuf_release(&p);
	return ok;
}

int asr_g2p(const char *word, struct sbuf *phones)
{
	struct sbuf plain = SBUF_INIT(256);
	cst_val *v;
	bool ok = true;
	size_t before = phones->len;

	/* The lexicon knows letters only; o'brien is looked up as obrien. */
	for (const char *c = word; *c; c++)
		if (islower((unsigned char)*c))
			sbuf_addch(&plain, *c);
	if (!plain.len) {
		sbuf_release(&plain);
		return -PC_ENOTFOUND;
	}
	pthread_mutex_lock(&lex_lock);
	v = lex_lookup(cmu_lex_init(), plain.buf, NULL, NULL);
	for (const cst_val *p = v; p && ok; p = val_cdr(p))
		ok = add_phone(phones, val_string(val_car(p)));
	delete_val(v);
	pthread_mutex_unlock(&lex_lock);
	sbuf_release(&plain);
	if (!ok || phones->len == before) {
		sbuf_setlen(phones, before);
		return -PC_ENOTFOUND;
	}
	return 0;
}

/* One word of a name, or nothing when it has letters we cannot model. */
static void name_word(const char *s, size_t n, struct strlist *out)
{
	struct sbuf w = SBUF_INIT(256);
	bool usable = true;

	for (size_t i = 0; i < n && usable; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 128 && isalpha(c))
			usable = sbuf_addch(&w, tolower(c)) == 0;
		else if (c == '\'' && w.len)
			usable = sbuf_addch(&w, c) == 0;
		else if (c != '.' && c != '\'' && c != ',')
			usable = false;   /* digits, other scripts, symbols */
	}
	while (w.len && w.buf[w.len - 1] == '\'')
		sbuf_setlen(&w, w.len - 1);
	if (usable && w.len && !strlist_has(out, w.buf))
		strlist_push(out, w.buf);
	sbuf_release(&w);
}

void asr_name_words(const char *const *names, size_t n, struct strlist *out)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = names[i];

		while (s && *s) {
			size_t len = strcspn(s, " \t\n-");

			if (len)
				name_word(s, len, out);
			s += len;
			s += strspn(s, " \t\n-");
		}
	}
}
