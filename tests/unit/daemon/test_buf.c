/* test_buf.c: the capped buffer behind every control answer. */
#include <string.h>

#include "daemon/buf.h"
#include "tests/unit/tap.h"

int
main(void)
{
	struct buf b;
	char big[600];

	buf_init(&b, 16);
	is_int(buf_addstr(&b, "hello"), 0, "append within the cap");
	is_int(buf_printf(&b, " %d", 42), 0, "printf within the cap");
	is_str(b.data, "hello 42", "contents are NUL-terminated");
	is_int(buf_addstr(&b, "0123456789"), -1, "append past the cap fails");
	ok(b.overflow, "overflow is remembered");
	is_str(b.data, "hello 42", "a failed append changes nothing");
	buf_consume(&b, 6);
	is_str(b.data, "42", "consume drops the front");
	buf_consume(&b, 99);
	is_int((long long)b.len, 0, "consume past the end empties");
	buf_free(&b);

	buf_init(&b, 4096);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	is_int(buf_printf(&b, "<%s>", big), 0, "printf longer than its stack buffer");
	is_int((long long)b.len, (long long)sizeof(big) + 1, "all of it arrived");
	ok(b.data[0] == '<' && b.data[b.len - 1] == '>', "ends intact");
	buf_reset(&b);
	is_int((long long)b.len, 0, "reset empties");
	buf_free(&b);

	buf_init(&b, 8);
	is_int(buf_printf(&b, "%s", "123456789"), -1,
	    "printf past the cap fails");
	is_int((long long)b.len, 0, "and leaves nothing behind");
	buf_free(&b);
	return tap_done();
}
