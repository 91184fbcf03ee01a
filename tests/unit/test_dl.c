/* Tests for dl.c: libraries loaded on first use. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dl.h"
#include "hafen/error.h"

typedef double (*unary)(double);

/* libm is in every process: two of its functions, loaded by name */
static unary p_cos, p_sqrt, p_none;
static const char *const m_names[] = {"cos", "sqrt"};
static void *const m_slots[] = {(void *)&p_cos, (void *)&p_sqrt};
static hf__dl m_lib = {"libm.so.6", "libc6", "Die Mathematik",
		       "Maths",	    m_names, m_slots,
		       2,	    0,	     ""};

static void test_loads_functions(void **state)
{
	hf_error err;
	(void)state;
	hf_error_init(&err, HF_LANG_DE);
	assert_null(p_cos);
	assert_int_equal(hf__dl_load(&m_lib, "x", &err), HF_OK);
	assert_int_equal(m_lib.state, 1);
	assert_non_null(p_cos);
	assert_true(p_cos(0.0) == 1.0);
	assert_true(p_sqrt(16.0) == 4.0);
	/* a second call finds it loaded and changes nothing */
	p_sqrt = NULL;
	assert_int_equal(hf__dl_load(&m_lib, "x", &err), HF_OK);
	assert_null(p_sqrt);
	assert_int_equal(hf__dl_load(&m_lib, "x", NULL), HF_OK);
}

static void test_missing_library(void **state)
{
	static const char *const names[] = {"cos"};
	static void *const slots[] = {(void *)&p_none};
	hf__dl d = {"libhafen-nirgends.so.9",
		    "libhafen-nirgends9",
		    "Die Testbibliothek",
		    "The test library",
		    names,
		    slots,
		    1,
		    0,
		    ""};
	hf_error err;
	(void)state;
	hf_error_init(&err, HF_LANG_DE);
	assert_int_equal(hf__dl_load(&d, "db", &err), HF_EIO);
	assert_string_equal(err.where, "db");
	assert_non_null(strstr(err.message, "Die Testbibliothek lässt sich "
					    "nicht laden: "));
	assert_non_null(strstr(err.message, "libhafen-nirgends.so.9"));
	assert_non_null(
	    strstr(err.message, "apt-get install libhafen-nirgends9"));
	assert_null(p_none);
	/* it stays missing, and says so every time, in English too */
	hf_error_init(&err, HF_LANG_EN);
	assert_int_equal(hf__dl_load(&d, "db", &err), HF_EIO);
	assert_non_null(
	    strstr(err.message, "The test library cannot be loaded: "));
	assert_non_null(strstr(err.message, "package libhafen-nirgends9"));
	assert_int_equal(hf__dl_load(&d, "db", NULL), HF_EIO);
}

static void test_missing_function(void **state)
{
	static unary a, b;
	static const char *const names[] = {"cos", "hf_keine_funktion"};
	static void *const slots[] = {(void *)&a, (void *)&b};
	hf__dl d = {"libm.so.6", "libc6", "Die Mathematik",
		    "Maths",	 names,	  slots,
		    2,		 0,	  ""};
	hf_error err;
	(void)state;
	hf_error_init(&err, HF_LANG_EN);
	assert_int_equal(hf__dl_load(&d, "calc", &err), HF_EIO);
	assert_string_equal(err.where, "calc");
	assert_non_null(strstr(err.message, "libm.so.6: hf_keine_funktion"));
	assert_int_equal(d.state, -1);
}

/* threads that load one library at once all find it loaded */
static unary t_cos;
static const char *const t_names[] = {"cos"};
static void *const t_slots[] = {(void *)&t_cos};
static hf__dl t_lib = {"libm.so.6", "libc6", "Die Mathematik",
		       "Maths",	    t_names, t_slots,
		       1,	    0,	     ""};

static void *loader(void *arg)
{
	hf_error err;
	hf_error_init(&err, HF_LANG_EN);
	*(int *)arg = hf__dl_load(&t_lib, "x", &err) == HF_OK && t_cos &&
		      t_cos(0.0) == 1.0;
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t th[8];
	int ok[8], k;
	(void)state;
	for (k = 0; k < 8; k++)
		assert_int_equal(pthread_create(&th[k], NULL, loader, &ok[k]),
				 0);
	for (k = 0; k < 8; k++) {
		pthread_join(th[k], NULL);
		assert_true(ok[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_loads_functions),
	    cmocka_unit_test(test_missing_library),
	    cmocka_unit_test(test_missing_function),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
