/*
 * redact.h - credentials out of every URL that is shown or stored.
 *
 * A URL may carry a password (http://user:pass@host/) or a token in its
 * query (?token=abc, ?api_key=..., X-Amz-Signature=...).  Requests need the
 * URL as it is; every copy that is shown (log lines, error messages, doctor
 * output) or stored (metadata, run artifacts, the state database) goes
 * through redact_text() first: the userinfo becomes "***@" and the values
 * of query or fragment parameters whose names look secret become "***".
 * The rest of the URL is kept byte for byte, so a redacted URL still says
 * which server and which file.  Matching is deliberately broad: a false
 * positive hides a harmless value, a false negative leaks a credential.
 *
 * Ownership: redact_text() returns a new string (free()); redact_add()
 * appends to the caller's sbuf.
 */
#ifndef REDACT_H
#define REDACT_H

#include "util/sbuf.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether a name (a config key, a query parameter) looks like it holds a
 * secret: it contains key, token, secret, passw, auth, sig, credential or
 * session (any case), or is one of pass, pw, pwd, sid.
 */
bool redact_secret_name(const char *name, size_t len);

/*
 * Appends text[0..len) to out with every URL in it ("scheme://...", up to
 * white space, a quote or an angle bracket) redacted.  Text without URLs is
 * copied unchanged.  A redacted URL may be a few bytes longer than the
 * original: give out room (SBUF_NOLIMIT for text that is already capped).
 */
void redact_add(struct sbuf *out, const char *text, size_t len);

/* A redacted copy of text (a URL or a sentence holding URLs); NULL for NULL. */
char *redact_text(const char *text);

/* Whether redact_text() would change text. */
bool redact_needed(const char *text);

#endif
