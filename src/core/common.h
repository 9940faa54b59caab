/*
 * The first include of every zerenzhi source file: the C library headers
 * nearly every file needs, then banned.h so that the functions it bans cannot
 * be used anywhere after them.
 */
#ifndef ZRZ_CORE_COMMON_H
#define ZRZ_CORE_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/banned.h"

#define ZRZ_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
