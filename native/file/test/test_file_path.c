/* test_file_path.c: device paths inside the data root and the state folder, by hand-worked cases. */
#include "file_path.h"
#include "unit.h"

#include <string.h>

#define EQ_STR(actual, expected)                                                                                       \
	do {                                                                                                               \
		if (strcmp((actual), (expected))) {                                                                            \
			UNIT_FAIL("\"%s\", expected \"%s\"", (actual), (expected));                                                \
			return;                                                                                                    \
		}                                                                                                              \
	} while (0)

UNIT_TEST(joins_inside_the_root)
{
	char out[64];
	UNIT_EQ_INT(file_path_in_root("/models/smile.tflite", "data", NULL, out, sizeof(out), NULL, 0), FILE_PATH_OK);
	EQ_STR(out, "data/models/smile.tflite");
	UNIT_EQ_INT(file_path_in_root("models/smile.tflite", "data", NULL, out, sizeof(out), NULL, 0), FILE_PATH_OK);
	EQ_STR(out, "data/models/smile.tflite");
	UNIT_EQ_INT(file_path_in_root("///a", "/r", NULL, out, sizeof(out), NULL, 0), FILE_PATH_OK);
	EQ_STR(out, "/r/a");
	/* Dots that are not a whole ".." segment stay. */
	UNIT_EQ_INT(file_path_in_root("/a..b/..c/d..", ".", NULL, out, sizeof(out), NULL, 0), FILE_PATH_OK);
	EQ_STR(out, "./a..b/..c/d..");
}

UNIT_TEST(state_paths_go_to_the_state_folder)
{
	char out[64];
	UNIT_EQ_INT(file_path_in_root("/state/log.bin", "data", "st", out, sizeof(out), NULL, 0), FILE_PATH_OK);
	EQ_STR(out, "st/log.bin");
	/* Without a state folder "state/" is an ordinary folder of the root. */
	UNIT_EQ_INT(file_path_in_root("/state/log.bin", "data", NULL, out, sizeof(out), NULL, 0), FILE_PATH_OK);
	EQ_STR(out, "data/state/log.bin");
	/* Only the whole first segment counts. */
	UNIT_EQ_INT(file_path_in_root("/stateful/x", "data", "st", out, sizeof(out), NULL, 0), FILE_PATH_OK);
	EQ_STR(out, "data/stateful/x");
}

UNIT_TEST(refuses_parent_segments_empty_and_long_paths)
{
	char out[16];
	UNIT_EQ_INT(file_path_in_root("/../etc/passwd", ".", NULL, out, sizeof(out), NULL, 0), FILE_PATH_ERROR_PARENT);
	UNIT_EQ_INT(file_path_in_root("..", ".", NULL, out, sizeof(out), NULL, 0), FILE_PATH_ERROR_PARENT);
	UNIT_EQ_INT(file_path_in_root("a/../b", ".", NULL, out, sizeof(out), NULL, 0), FILE_PATH_ERROR_PARENT);
	UNIT_EQ_INT(file_path_in_root("/state/..", ".", "st", out, sizeof(out), NULL, 0), FILE_PATH_ERROR_PARENT);
	UNIT_EQ_INT(file_path_in_root("", ".", NULL, out, sizeof(out), NULL, 0), FILE_PATH_ERROR_EMPTY);
	UNIT_EQ_INT(file_path_in_root("///", ".", NULL, out, sizeof(out), NULL, 0), FILE_PATH_ERROR_EMPTY);
	/* "root/" + 11 characters + NUL is 17 bytes, one more than out holds; 10 fit exactly. */
	UNIT_EQ_INT(file_path_in_root("abcdefghijk", "root", NULL, out, sizeof(out), NULL, 0), FILE_PATH_ERROR_TOO_LONG);
	UNIT_EQ_INT(file_path_in_root("abcdefghij", "root", NULL, out, sizeof(out), NULL, 0), FILE_PATH_OK);
	EQ_STR(out, "root/abcdefghij");
	UNIT_EQ_INT(file_path_in_root(NULL, ".", NULL, out, sizeof(out), NULL, 0), FILE_PATH_ERROR_ARGUMENT);
	UNIT_EQ_INT(file_path_in_root("a", ".", NULL, out, 0, NULL, 0), FILE_PATH_ERROR_ARGUMENT);
}

UNIT_TEST(messages_name_the_path_where_it_helps)
{
	char out[64], error[64] = "";
	UNIT_EQ_INT(file_path_in_root("/../x", ".", NULL, out, sizeof(out), error, sizeof(error)), FILE_PATH_ERROR_PARENT);
	EQ_STR(error, "/../x: \"..\" is not allowed in a path");
	UNIT_EQ_INT(file_path_in_root("/", ".", NULL, out, sizeof(out), error, sizeof(error)), FILE_PATH_ERROR_EMPTY);
	EQ_STR(error, "empty path");
	UNIT_EQ_INT(file_path_in_root("x", "root", NULL, out, 4, error, sizeof(error)), FILE_PATH_ERROR_TOO_LONG);
	EQ_STR(error, "path too long");
	/* A path that maps leaves the message alone. */
	UNIT_EQ_INT(file_path_in_root("x", "root", NULL, out, sizeof(out), error, sizeof(error)), FILE_PATH_OK);
	EQ_STR(error, "path too long");
}

int main(void)
{
	UNIT_RUN(joins_inside_the_root);
	UNIT_RUN(state_paths_go_to_the_state_folder);
	UNIT_RUN(refuses_parent_segments_empty_and_long_paths);
	UNIT_RUN(messages_name_the_path_where_it_helps);
	return unit_done();
}
