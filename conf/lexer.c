/*
 * lexer.c: one line of text into words, each with its line and column.
 * Words are split at blanks; a word may be double-quoted, with \" and \\
 * inside.  Lexer messages never echo the text: it may be a secret.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "conf/internal.h"

static int
lex_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Control bytes (other than tab) and NUL make the whole line an error. */
static int
lex_check_bytes(struct conf_parse *p, const char *s, size_t len, int line)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\0') {
			conf_error_at(
			    p, line, (int)i + 1, "NUL byte in the line");
			return -1;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			conf_error_at(p, line, (int)i + 1,
			    "control character 0x%02x in the line", c);
			return -1;
		}
	}
	return 0;
}

/* A quoted word starting at s[*i] (the quote); out gets its text. */
static int
lex_quoted(struct conf_parse *p, const char *s, size_t len, size_t *i,
    char **out, int line)
{
	size_t start = *i, j;
	char *o = *out;

	for (j = start + 1; j < len && s[j] != '"'; j++) {
		if (s[j] == '\\' && j + 1 < len &&
		    (s[j + 1] == '"' || s[j + 1] == '\\'))
			j++;
		*o++ = s[j];
	}
	if (j >= len) {
		conf_error_at(
		    p, line, (int)start + 1, "unterminated quoted string");
		return -1;
	}
	if (j + 1 < len && !lex_blank(s[j + 1])) {
		conf_error_at(p, line, (int)j + 2,
		    "a blank must follow the closing quote");
		return -1;
	}
	*o++ = '\0';
	*out = o;
	*i = j + 1;
	return 0;
}

static int
lex_plain(struct conf_parse *p, const char *s, size_t len, size_t *i,
    char **out, int line)
{
	size_t j;
	char *o = *out;

	for (j = *i; j < len && !lex_blank(s[j]); j++) {
		if (s[j] == '"') {
			conf_error_at(p, line, (int)j + 1,
			    "a quote inside "
			    "a word (quote the whole word instead)");
			return -1;
		}
		*o++ = s[j];
	}
	*o++ = '\0';
	*out = o;
	*i = j;
	return 0;
}

static int
lex_words(struct conf_parse *p, const char *s, size_t len, size_t i,
    struct conf_line *ln)
{
	char *o = ln->buf;
	struct conf_tok *t;
	int rv;

	while (i < len) {
		if (lex_blank(s[i])) {
			i++;
			continue;
		}
		if (ln->ntok == CONF_MAX_TOKENS) {
			conf_error_at(p, ln->line, (int)i + 1,
			    "too many words "
			    "in the line (%d at most)",
			    CONF_MAX_TOKENS);
			return -1;
		}
		t = &ln->tok[ln->ntok];
		t->s = o;
		t->ixname = NULL;
		t->line = ln->line;
		t->col = (int)i + 1;
		t->quoted = s[i] == '"';
		if (t->quoted)
			rv = lex_quoted(p, s, len, &i, &o, ln->line);
		else
			rv = lex_plain(p, s, len, &i, &o, ln->line);
		if (rv == -1)
			return -1;
		t->len = strlen(t->s);
		ln->ntok++;
	}
	return 0;
}

/*
 * s is one line without its newline (a trailing CR is dropped here).
 * Returns 0, or -1 after an error (the line is then skipped whole).
 */
int
conf_lex(struct conf_parse *p, const char *s, size_t len, int line,
    struct conf_line *ln)
{
	size_t i = 0;

	ln->line = line;
	ln->ntok = 0;
	ln->comment = 0;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len > CONF_MAX_LINE) {
		conf_error_at(p, line, 0,
		    "line too long (%zu bytes; %d at most)", len,
		    CONF_MAX_LINE);
		return -1;
	}
	ln->used = len + CONF_MAX_TOKENS + 1;
	if (lex_check_bytes(p, s, len, line) == -1)
		return -1;
	while (i < len && lex_blank(s[i]))
		i++;
	ln->indent = (int)i + 1;
	if (i < len && s[i] == '!') {
		ln->comment = 1;
		return 0;
	}
	return lex_words(p, s, len, i, ln);
}

void
conf_line_wipe(struct conf_line *ln)
{
	/* Only what this line could have written, even if lexing failed. */
	sodium_memzero(ln->buf, ln->used);
	ln->used = 0;
	ln->ntok = 0;
}

/* 1 if a word must be quoted to read back as the same single word. */
int
conf_needs_quotes(const char *s)
{
	if (*s == '\0' || *s == '!')
		return 1;
	for (; *s != '\0'; s++)
		if (lex_blank(*s) || *s == '"' || *s == '\\')
			return 1;
	return 0;
}

void
conf_print_word(FILE *fp, const char *s, int always_quote)
{
	if (!always_quote && !conf_needs_quotes(s)) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}
