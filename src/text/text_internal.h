/*
 * text_internal.h - private to src/text: the proper-noun word list.
 */
#ifndef TEXT_INTERNAL_H
#define TEXT_INTERNAL_H

#include "text/text.h"

struct lex_entry {
	const char *key;     /* lower case */
	const char *form;    /* as the list writes it */
	bool common;         /* the list has the word in lower case */
};

enum lex_kind {
	LEX_UNKNOWN,         /* not in the list (or no list) */
	LEX_COMMON,          /* occurs in lower case */
	LEX_PROPER,          /* occurs only capitalized */
};

/*
 * Looks key (lower case) up in the word list at path (NULL: the default,
 * "": none), loading it on first use.  For LEX_PROPER appends the list's
 * form of the word to form.
 */
enum lex_kind text_lexicon_lookup(const char *path, const char *key, struct sbuf *form);

#endif
